/** The portal stylesheet, served as /portal.css (kept in code so the compiled build carries it). */
export const PORTAL_CSS = `*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif;color:#1a1a1a;background:#f6f6f4}
header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;padding:.6rem 1rem;background:#123d5c;color:#fff}
header a{color:#fff}
.brand{font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;line-height:1.3;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
a{color:#0b5394}
.f{margin:0 0 1rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
label.c{font-weight:400;display:flex;gap:.5rem;align-items:flex-start;margin:.35rem 0}
input,select{font:inherit;width:100%;max-width:100%;padding:.55rem .6rem;border:1px solid #767676;border-radius:4px;background:#fff;color:inherit}
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
input:focus,select:focus,button:focus,a:focus{outline:3px solid #f3b000;outline-offset:2px}
[aria-invalid=true]{border-color:#b00020;border-width:2px}
fieldset{border:1px solid #ccc;border-radius:4px;padding:.75rem;margin:0 0 1rem;min-width:0}
fieldset.person{background:#fff}
.summary{background:#fff;border:1px solid #ccc;border-radius:4px;padding:.5rem .75rem;margin:0 0 .75rem}
.summary p{margin:0}
button.link.edit{color:#0b5394}
legend{font-weight:700;padding:0 .25rem}
button,.button{display:inline-block;font:inherit;font-weight:700;padding:.7rem 1.2rem;border:0;border-radius:4px;background:#123d5c;color:#fff;text-decoration:none;cursor:pointer;margin:.25rem 0}
button.second{background:#e3e7ea;color:#123d5c}
button.link{background:none;color:#b00020;text-decoration:underline;padding:.25rem 0;font-weight:400}
.nav{margin-top:1.25rem}
.err{color:#b00020;font-weight:600;margin:.25rem 0 0}
.alert{border-inline-start:4px solid #b00020;background:#fdecee;padding:.75rem;margin:0 0 1rem}
.ok{border-inline-start:4px solid #1b7f3b;background:#e8f5ec;padding:.75rem;margin:0 0 1rem}
.k{color:#555;font-size:.95rem}
.notice{background:#fff;border:1px solid #ccc;padding:.75rem;max-height:50vh;overflow:auto}
.ref{font:700 1.8rem/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.08em;margin:.25rem 0 .75rem}
.link-box{word-break:break-all;background:#fff;border:1px solid #ccc;padding:.5rem}
.qr svg{width:10rem;height:10rem}
ul.langs{list-style:none;padding:0}
ul.langs li{margin:.5rem 0}
ul.langs .button{min-width:12rem;text-align:center}
.langs-in-form{text-align:end;margin:-.5rem 0 .5rem}
.langs-in-form button.link{color:#0b5394;margin:0 .25rem}
.hp{position:absolute!important;width:1px!important;height:1px!important;padding:0!important;margin:-1px!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;white-space:nowrap!important;border:0!important}
section{border-top:1px solid #ddd;margin-top:1rem}
@media (min-width:40rem){main{padding:1.5rem}}`;
