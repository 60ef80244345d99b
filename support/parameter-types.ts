import { defineParameterType } from '@cucumber/cucumber';
import type { TlsVersion } from '../src/tls/versions.js';

const VERSIONS: Record<string, TlsVersion> = { '1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

defineParameterType({
  name: 'tlsVersion',
  regexp: /TLS (1\.[0-3])/,
  transformer: (number: string): TlsVersion => VERSIONS[number],
});
