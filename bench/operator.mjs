// The operator every bench database is made with: requisites that pass the checks, the contract's penalty settings.
export const OPERATOR = {
  name: 'ТОО «Мысал Телеком»', bin: '190540012345', iban: 'KZ12601A861000123456', bank: 'АО «Народный Банк Казахстана»', bic: 'HSBKKZKX',
  kbe: '17', knp: '859', address: '050000, г. Алматы, пр. Абая, д. 52, офис 301', phone: '+7 727 300 00 00', site: 'www.example.kz',
  email: 'billing@example.kz', invoicePrefix: 'MT', penaltyRate: '0.005', penaltyCapDays: 30, graceDays: 0,
};
