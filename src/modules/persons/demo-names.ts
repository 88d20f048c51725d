/**
 * Name parts for the synthetic demo registry, written for this project: common Arabic given and
 * family names with the Latin spellings people and clerks typically use for them. Combined at
 * random, they describe nobody in particular.
 */
export interface DemoName {
  ar: string;
  latin: readonly string[];
}

export const MALE_NAMES: readonly DemoName[] = [
  { ar: 'محمد', latin: ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad'] },
  { ar: 'أحمد', latin: ['Ahmed', 'Ahmad'] },
  { ar: 'محمود', latin: ['Mahmoud', 'Mahmud'] },
  { ar: 'مصطفى', latin: ['Mustafa', 'Moustafa', 'Mostafa'] },
  { ar: 'يوسف', latin: ['Yousef', 'Youssef', 'Yusuf'] },
  { ar: 'إبراهيم', latin: ['Ibrahim', 'Ebrahim'] },
  { ar: 'خالد', latin: ['Khaled', 'Khalid'] },
  { ar: 'عمر', latin: ['Omar', 'Umar'] },
  { ar: 'علي', latin: ['Ali'] },
  { ar: 'حسن', latin: ['Hassan', 'Hasan'] },
  { ar: 'حسين', latin: ['Hussein', 'Hussain', 'Husain'] },
  { ar: 'سامي', latin: ['Sami', 'Samy'] },
  { ar: 'عادل', latin: ['Adel', 'Adil'] },
  { ar: 'سعيد', latin: ['Saeed', 'Said', 'Saied'] },
  { ar: 'رامي', latin: ['Rami', 'Ramy'] },
  { ar: 'وليد', latin: ['Walid', 'Waleed'] },
  { ar: 'طارق', latin: ['Tareq', 'Tariq', 'Tarek'] },
  { ar: 'نبيل', latin: ['Nabil', 'Nabeel'] },
  { ar: 'كريم', latin: ['Karim', 'Kareem'] },
  { ar: 'عبد الله', latin: ['Abdallah', 'Abdullah', 'Abdulla'] },
  { ar: 'عبد الرحمن', latin: ['Abdelrahman', 'Abdul Rahman', 'Abdulrahman'] },
  { ar: 'زياد', latin: ['Ziad', 'Ziyad'] },
  { ar: 'هاني', latin: ['Hani', 'Hany'] },
  { ar: 'جمال', latin: ['Jamal', 'Gamal'] },
];

export const FEMALE_NAMES: readonly DemoName[] = [
  { ar: 'فاطمة', latin: ['Fatima', 'Fatma', 'Fatmeh'] },
  { ar: 'مريم', latin: ['Mariam', 'Maryam', 'Miriam'] },
  { ar: 'عائشة', latin: ['Aisha', 'Aysha', 'Aicha'] },
  { ar: 'نور', latin: ['Nour', 'Noor', 'Nur'] },
  { ar: 'ليلى', latin: ['Layla', 'Leila', 'Laila'] },
  { ar: 'سارة', latin: ['Sara', 'Sarah'] },
  { ar: 'هدى', latin: ['Huda', 'Hoda'] },
  { ar: 'رنا', latin: ['Rana'] },
  { ar: 'ياسمين', latin: ['Yasmin', 'Yasmeen', 'Jasmin'] },
  { ar: 'آمنة', latin: ['Amna', 'Amina', 'Amneh'] },
  { ar: 'سلمى', latin: ['Salma', 'Selma'] },
  { ar: 'دعاء', latin: ['Doaa', 'Duaa', "Du'a"] },
  { ar: 'رشا', latin: ['Rasha'] },
  { ar: 'هبة', latin: ['Heba', 'Hiba'] },
  { ar: 'منى', latin: ['Mona', 'Muna'] },
  { ar: 'سمر', latin: ['Samar'] },
  { ar: 'رغد', latin: ['Raghad'] },
  { ar: 'لينا', latin: ['Lina', 'Leena'] },
];

export const FAMILY_NAMES: readonly DemoName[] = [
  { ar: 'الحداد', latin: ['Al-Haddad', 'Haddad', 'El Haddad'] },
  { ar: 'النجار', latin: ['Al-Najjar', 'Najjar', 'El-Naggar'] },
  { ar: 'الخطيب', latin: ['Al-Khatib', 'Khatib', 'El Khatib'] },
  { ar: 'المصري', latin: ['Al-Masri', 'Masri', 'El-Masry'] },
  { ar: 'الشامي', latin: ['Al-Shami', 'Shami', 'Chami'] },
  { ar: 'العطار', latin: ['Al-Attar', 'Attar'] },
  { ar: 'الحلبي', latin: ['Al-Halabi', 'Halabi'] },
  { ar: 'البنا', latin: ['Al-Banna', 'Banna', 'El Banna'] },
  { ar: 'الصباغ', latin: ['Al-Sabbagh', 'Sabbagh'] },
  { ar: 'الخياط', latin: ['Al-Khayyat', 'Khayat', 'Khayyat'] },
  { ar: 'السقا', latin: ['Al-Saqqa', 'Saqqa', 'El Sakka'] },
  { ar: 'الدباغ', latin: ['Al-Dabbagh', 'Dabbagh'] },
  { ar: 'الفرا', latin: ['Al-Farra', 'Farra'] },
  { ar: 'الطويل', latin: ['Al-Tawil', 'Tawil', 'El Taweel'] },
  { ar: 'القاضي', latin: ['Al-Qadi', 'Kadi', 'El Kadi'] },
  { ar: 'الحاج', latin: ['Al-Hajj', 'Hajj', 'El Hage'] },
  { ar: 'العلمي', latin: ['Al-Alami', 'Alami'] },
  { ar: 'الجمل', latin: ['Al-Jamal', 'Gamal', 'El Gamal'] },
];
