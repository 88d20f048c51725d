/** The baseline for bench/intake.ts: a bare Fastify server that parses a JSON body and answers. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ ok: true }));
app.post('/echo', async (req, reply) => reply.status(201).send({ received: typeof req.body === 'object' }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
