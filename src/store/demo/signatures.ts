/**
 * Code-signing certificates as DeviceFileCertificateInfo reports them. Signer and issuer names
 * follow the real publishers' certificates; serials, hashes and dates are made up.
 */
export interface Signature {
  signer: string;
  issuer: string;
  /** `Catalog` for Windows components (signed through a catalog file), else `Embedded`. */
  type: 'Embedded' | 'Catalog';
  trusted: boolean;
  rootMicrosoft: boolean;
  crl: readonly string[];
  /** Certificate validity, ISO dates. */
  validFrom: string;
  validTo: string;
}

const DIGICERT_G4 = 'DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1';
const DIGICERT_G4_CRL = [
  'http://crl3.digicert.com/DigiCertTrustedG4CodeSigningRSA4096SHA3842021CA1.crl',
  'http://crl4.digicert.com/DigiCertTrustedG4CodeSigningRSA4096SHA3842021CA1.crl',
];
const SECTIGO_R36 = 'Sectigo Public Code Signing CA R36';
const SECTIGO_R36_CRL = ['http://crl.sectigo.com/SectigoPublicCodeSigningCAR36.crl'];

export function digicert(signer: string, validFrom: string, validTo: string): Signature {
  return {
    signer,
    issuer: DIGICERT_G4,
    type: 'Embedded',
    trusted: true,
    rootMicrosoft: false,
    crl: DIGICERT_G4_CRL,
    validFrom,
    validTo,
  };
}

export function sectigo(signer: string, validFrom: string, validTo: string): Signature {
  return {
    signer,
    issuer: SECTIGO_R36,
    type: 'Embedded',
    trusted: true,
    rootMicrosoft: false,
    crl: SECTIGO_R36_CRL,
    validFrom,
    validTo,
  };
}

export const SIGNATURES = {
  microsoftWindows: {
    signer: 'Microsoft Windows',
    issuer: 'Microsoft Windows Production PCA 2011',
    type: 'Catalog',
    trusted: true,
    rootMicrosoft: true,
    crl: ['http://www.microsoft.com/pkiops/crl/MicWinProPCA2011_2011-10-19.crl'],
    validFrom: '2024-09-12T19:10:47Z',
    validTo: '2025-09-11T19:10:47Z',
  },
  microsoftWindowsPublisher: {
    signer: 'Microsoft Windows Publisher',
    issuer: 'Microsoft Windows Production PCA 2011',
    type: 'Embedded',
    trusted: true,
    rootMicrosoft: true,
    crl: ['http://www.microsoft.com/pkiops/crl/MicWinProPCA2011_2011-10-19.crl'],
    validFrom: '2024-08-22T18:52:11Z',
    validTo: '2025-08-20T18:52:11Z',
  },
  microsoftCorporation: {
    signer: 'Microsoft Corporation',
    issuer: 'Microsoft Code Signing PCA 2011',
    type: 'Embedded',
    trusted: true,
    rootMicrosoft: true,
    crl: ['http://www.microsoft.com/pkiops/crl/MicCodSigPCA2011_2011-07-08.crl'],
    validFrom: '2024-09-12T20:11:13Z',
    validTo: '2025-09-11T20:11:13Z',
  },
  google: digicert('Google LLC', '2024-07-17T00:00:00Z', '2027-07-16T23:59:59Z'),
  mozilla: digicert('Mozilla Corporation', '2023-05-30T00:00:00Z', '2026-06-06T23:59:59Z'),
  adobe: digicert('Adobe Inc.', '2024-01-23T00:00:00Z', '2026-01-22T23:59:59Z'),
  zoom: digicert('Zoom Video Communications, Inc.', '2024-03-05T00:00:00Z', '2026-03-04T23:59:59Z'),
  slack: digicert('Slack Technologies, LLC', '2023-11-14T00:00:00Z', '2026-11-13T23:59:59Z'),
  notepadPlusPlus: digicert('Notepad++', '2024-02-08T00:00:00Z', '2027-02-07T23:59:59Z'),
  videolan: digicert('VideoLAN', '2023-10-12T00:00:00Z', '2026-10-11T23:59:59Z'),
  cisco: digicert('Cisco Systems, Inc.', '2024-05-02T00:00:00Z', '2027-05-01T23:59:59Z'),
  crowdstrike: digicert('CrowdStrike, Inc.', '2024-06-18T00:00:00Z', '2027-06-17T23:59:59Z'),
  git: {
    signer: 'Johannes Schindelin',
    issuer: 'Certum Code Signing 2021 CA',
    type: 'Embedded',
    trusted: true,
    rootMicrosoft: false,
    crl: ['http://ccsca2021.crl.certum.pl/ccsca2021.crl'],
    validFrom: '2023-05-11T09:14:21Z',
    validTo: '2026-05-10T09:14:20Z',
  },
  // RMM vendors (planted activity).
  kraemerIt: sectigo('Krämer IT Solutions GmbH', '2023-09-27T00:00:00Z', '2026-09-26T23:59:59Z'),
  kaseyaCorporation: digicert('Kaseya Corporation', '2023-02-21T00:00:00Z', '2026-02-20T23:59:59Z'),
  kaseyaHoldings: digicert('Kaseya Holdings Inc.', '2024-04-09T00:00:00Z', '2027-04-08T23:59:59Z'),
  kaseyaUs: sectigo('Kaseya US LLC', '2024-10-01T00:00:00Z', '2027-09-30T23:59:59Z'),
  // Near misses for `Signer has 'Kaseya'`: the term appears only inside a longer term.
  kaseyaOnePartners: sectigo('KaseyaOne Partners Ltd', '2024-03-18T00:00:00Z', '2026-03-17T23:59:59Z'),
  notKaseya: {
    signer: 'NotKaseya Ltd',
    issuer: 'NotKaseya Ltd',
    type: 'Embedded',
    trusted: false,
    rootMicrosoft: false,
    crl: [],
    validFrom: '2025-01-01T00:00:00Z',
    validTo: '2030-01-01T00:00:00Z',
  },
  kaseyanet: {
    signer: 'Kaseyanet Inc',
    issuer: 'SSL.com EV Code Signing Intermediate CA RSA R3',
    type: 'Embedded',
    trusted: true,
    rootMicrosoft: false,
    crl: ['http://crls.ssl.com/SSLcom-SubCA-EV-CodeSigning-RSA-4096-R3.crl'],
    validFrom: '2024-11-05T00:00:00Z',
    validTo: '2025-11-05T00:00:00Z',
  },
} satisfies Record<string, Signature>;
