import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeKeyExchangeGroups } from '../../src/probes/transport/key-exchange-judgement.js';
import { scanCipherSuites, type CipherScanEvidence, type VersionCipherScan } from '../../src/probes/transport/cipher-scan.js';
import { TLS_VERSIONS, type TlsVersion } from '../../src/tls/versions.js';
import type { Engine } from '../../src/targets/target.js';
import { afterPostgresYes, listen, serverPool, readExactly, tlsAfterPreamble, type TestServer, type TlsServerOptions } from './test-servers.js';
import { alertRecord, ecdheServerKeyExchange, handshakeMessage, HELLO_RETRY_RANDOM, parseClientHello, record, serverFlight, serverHelloRecord, type ParsedClientHello } from './tls-records.js';
import { WEAK_DH_PARAMETERS_PEM } from '../../src/lab/weak-dh-parameters.js';

const serve = serverPool();

async function scanNodeServer(engine: Engine, options: TlsServerOptions, versions: TlsVersion[] = [...TLS_VERSIONS]): Promise<CipherScanEvidence> {
  const server = await serve(tlsAfterPreamble(engine, options));
  return scanCipherSuites(server.endpoint(engine), versions);
}

function byVersion(evidence: CipherScanEvidence): Record<string, VersionCipherScan> {
  return Object.fromEntries(evidence.versions.map((scan) => [scan.version, scan]));
}

function codes(scan: VersionCipherScan): string[] {
  return scan.acceptedSuites.map((suite) => suite.code).sort();
}

/** A scripted TLS server: answers each ClientHello with whatever `respond` returns, then hangs up. */
async function scriptedServer(respond: (hello: ParsedClientHello, connection: number) => Buffer | undefined): Promise<TestServer> {
  let connection = 0;
  return serve(
    afterPostgresYes((socket, hello) => {
      connection += 1;
      const answer = respond(parseClientHello(hello), connection);
      if (answer) socket.end(answer);
    }),
  );
}

/** Picks the first suite of `supported` the client offered, in the server's order, as an old OpenSSL would. */
function pickFrom(supported: number[]) {
  return (hello: ParsedClientHello) => {
    const suite = supported.find((code) => hello.cipherSuites.includes(code));
    return suite === undefined ? alertRecord(2, 40) : serverHelloRecord({ legacyVersion: hello.clientVersion, cipherSuite: suite });
  };
}

describe('scanCipherSuites against Node TLS servers', () => {
  it('enumerates the configured suites per version, through the PostgreSQL preamble', async () => {
    const scan = byVersion(await scanNodeServer('postgres', { ciphers: 'AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', minVersion: 'TLSv1', maxVersion: 'TLSv1.2' }));
    for (const version of ['TLSv1', 'TLSv1.1']) {
      assert.equal(scan[version].status, 'accepted');
      assert.deepEqual(scan[version].acceptedSuites, [{ code: '0x002F', iana: 'TLS_RSA_WITH_AES_128_CBC_SHA', openssl: 'AES128-SHA', forwardSecrecy: false, weaknesses: [] }]);
      assert.equal(scan[version].connections, 3, 'one acceptance, then one refusal per batch of 150 candidates');
    }
    assert.equal(scan['TLSv1.2'].status, 'accepted');
    assert.deepEqual(codes(scan['TLSv1.2']), ['0x002F', '0xC02F']);
    assert.match(scan['TLSv1.2'].reason!, /handshake_failure/);
    assert.equal(scan['TLSv1.3'].status, 'version-refused');
    assert.match(scan['TLSv1.3'].reason!, /alert 70 \(protocol_version\)/);
    assert.equal(scan['TLSv1.3'].connections, 1);
  });

  it('tells refused versions from accepted ones and lists TLS 1.3 suites, through the MySQL preamble', async () => {
    const scan = byVersion(
      await scanNodeServer('mysql', { ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256', minVersion: 'TLSv1.2' }),
    );
    assert.equal(scan.TLSv1.status, 'version-refused');
    assert.equal(scan['TLSv1.1'].status, 'version-refused');
    assert.deepEqual(codes(scan['TLSv1.2']), ['0xC030']);
    assert.deepEqual(codes(scan['TLSv1.3']), ['0x1302', '0x1303']);
    assert.equal(scan['TLSv1.3'].connections, 3);
    assert.ok(scan['TLSv1.3'].acceptedSuites.every((suite) => suite.forwardSecrecy && suite.weaknesses.length === 0));
  });

  it('flags NULL and anonymous suites a server really negotiates', async () => {
    const scan = byVersion(await scanNodeServer('postgres', { ciphers: 'NULL-SHA256:AECDH-AES128-SHA:@SECLEVEL=0', maxVersion: 'TLSv1.2' }, ['TLSv1.2']));
    assert.deepEqual(
      scan['TLSv1.2'].acceptedSuites.map(({ iana, weaknesses, forwardSecrecy }) => ({ iana, weaknesses, forwardSecrecy })).sort((a, b) => a.iana.localeCompare(b.iana)),
      [
        { iana: 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', weaknesses: ['anonymous'], forwardSecrecy: false },
        { iana: 'TLS_RSA_WITH_NULL_SHA256', weaknesses: ['null-encryption'], forwardSecrecy: false },
      ],
    );
  });

  it('produces plain JSON evidence', async () => {
    const evidence = await scanNodeServer('postgres', { minVersion: 'TLSv1.2' }, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(JSON.parse(JSON.stringify(evidence)), evidence);
    for (const scan of evidence.versions) assert.ok(Number.isInteger(scan.elapsedMs) && scan.elapsedMs >= 0);
  });

});

describe('scanCipherSuites reading key exchange groups from Node TLS servers', () => {
  it('reads the DH group of DHE suites and the curve of ECDHE suites, without extra connections', async () => {
    const [scan] = (
      await scanNodeServer(
        'postgres',
        { ciphers: 'DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', dhparam: WEAK_DH_PARAMETERS_PEM, ecdhCurve: 'P-384', maxVersion: 'TLSv1.2' },
        ['TLSv1.2'],
      )
    ).versions;
    assert.equal(scan.connections, 5, 'two acceptances and one refusal per batch of 150 candidates, as without reading groups, plus the weak-curve probe');
    assert.deepEqual([scan.weakCurveProbe?.outcome, scan.weakCurveProbe?.reason], ['refused', 'refused with alert 40 (handshake_failure)']);
    const byName = Object.fromEntries(scan.acceptedSuites.map((suite) => [suite.openssl, suite]));
    assert.equal(byName['DHE-RSA-AES128-GCM-SHA256'].group, 'DH 1024');
    assert.deepEqual(byName['DHE-RSA-AES128-GCM-SHA256'].keyExchangeGroup, { family: 'DH', bits: 1024 });
    assert.match(byName['DHE-RSA-AES128-GCM-SHA256'].groupNote!, /RFC 7919 groups were offered; the server sent its own prime/);
    assert.equal(byName['ECDHE-RSA-AES128-GCM-SHA256'].group, 'secp384r1');
  });

  it('finds a 224-bit curve that a server allows alone, since small curves close our list', async () => {
    const [scan] = (await scanNodeServer('postgres', { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', ecdhCurve: 'P-224', maxVersion: 'TLSv1.2' }, ['TLSv1.2'])).versions;
    assert.deepEqual(scan.acceptedSuites.map((suite) => [suite.openssl, suite.group]), [['ECDHE-RSA-AES128-GCM-SHA256', 'secp224r1']]);
    assert.deepEqual(scan.acceptedSuites[0].keyExchangeGroup, { family: 'EC', name: 'secp224r1', bits: 224, strengthBits: 112, code: 0x0015 });
  });

  it('finds a 224-bit curve a server also accepts behind x25519, which our strong-first list never gets: the weak-curve probe', async () => {
    const evidence = await scanNodeServer('postgres', { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', ecdhCurve: 'X25519:P-224', maxVersion: 'TLSv1.2' }, ['TLSv1.2']);
    const [scan] = evidence.versions;
    assert.deepEqual(scan.acceptedSuites.map((suite) => suite.group), ['x25519']);
    assert.equal(scan.weakCurveProbe?.outcome, 'accepted');
    assert.equal(scan.weakCurveProbe?.group, 'secp224r1');
    assert.ok(scan.weakCurveProbe?.offered.includes('secp224r1') && !scan.weakCurveProbe.offered.includes('secp256r1'));
    const judged = judgeKeyExchangeGroups(evidence);
    assert.equal(judged.verdict, 'failed', judged.reason);
  });

  it('records the TLS 1.3 group from a key share it sent, and from a HelloRetryRequest for one it did not', async () => {
    const [shared] = (await scanNodeServer('mysql', { minVersion: 'TLSv1.3', ecdhCurve: 'P-384' }, ['TLSv1.3'])).versions;
    assert.ok(shared.acceptedSuites.length >= 2);
    for (const suite of shared.acceptedSuites) assert.deepEqual([suite.group, suite.groupNote], ['secp384r1', undefined]);
    const [retried] = (await scanNodeServer('mysql', { minVersion: 'TLSv1.3', ecdhCurve: 'P-521' }, ['TLSv1.3'])).versions;
    for (const suite of retried.acceptedSuites) {
      assert.equal(suite.group, 'secp521r1');
      assert.match(suite.groupNote!, /HelloRetryRequest/);
    }
  });
});

describe('scanCipherSuites against scripted servers', () => {
  it('keeps a DHE suite accepted when the server hangs up before its ServerKeyExchange, with the group unreadable', async () => {
    const server = await scriptedServer((hello) =>
      hello.cipherSuites.includes(0x009e)
        ? Buffer.concat([serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x009e }), record(22, 0x0303, handshakeMessage(11, Buffer.alloc(40)))])
        : alertRecord(2, 40),
    );
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'accepted');
    assert.deepEqual(codes(scan), ['0x009E']);
    assert.match(scan.acceptedSuites[0].groupUnreadable!, /no ServerKeyExchange after the ServerHello: the (server closed the connection|connection closed)/);
    assert.equal(scan.acceptedSuites[0].group, undefined);
  });

  it('records the weak-curve probe as undecided when the server hangs up on it, and the judge will not pass that', async () => {
    const offersP256 = (hello: ParsedClientHello) => {
      const groups = hello.extensions.get(10);
      return groups !== undefined && groups.subarray(2).includes(Buffer.from([0x00, 0x17]));
    };
    const server = await scriptedServer((hello) => {
      if (!hello.cipherSuites.includes(0xc02f)) return alertRecord(2, 40);
      // Strong curves offered: a normal ECDHE answer in secp256r1. Only small ones: a close, no alert.
      return offersP256(hello) ? record(22, 0x0303, serverFlight({ legacyVersion: 0x0303, cipherSuite: 0xc02f }, ecdheServerKeyExchange(0x0017))) : Buffer.alloc(0);
    });
    const evidence = await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2']);
    const [scan] = evidence.versions;
    assert.deepEqual(scan.acceptedSuites.map((suite) => suite.group), ['secp256r1']);
    assert.equal(scan.weakCurveProbe?.outcome, 'undecided');
    assert.match(scan.weakCurveProbe!.reason, /closed/);
    const judged = judgeKeyExchangeGroups(evidence);
    assert.equal(judged.verdict, 'undecided', judged.reason);
  });

  it('reads a 160-bit curve a server picks from the end of our list', async () => {
    const server = await scriptedServer((hello) =>
      hello.cipherSuites.includes(0xc02f)
        ? record(22, 0x0303, serverFlight({ legacyVersion: 0x0303, cipherSuite: 0xc02f }, ecdheServerKeyExchange(0x0010, Buffer.alloc(41, 4))))
        : alertRecord(2, 40),
    );
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.deepEqual(scan.acceptedSuites.map((suite) => suite.group), ['secp160r1']);
  });

  it('finds RC4, 3DES and EXPORT suites that OpenSSL 3 cannot even offer', async () => {
    const server = await scriptedServer(pickFrom([0x0005, 0x000a, 0x0003]));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1'])).versions;
    assert.equal(scan.status, 'accepted');
    assert.deepEqual(
      scan.acceptedSuites.map(({ openssl, weaknesses }) => ({ openssl, weaknesses })),
      [
        { openssl: 'RC4-SHA', weaknesses: ['rc4'] },
        { openssl: 'DES-CBC3-SHA', weaknesses: ['3des'] },
        { openssl: 'EXP-RC4-MD5', weaknesses: ['export', 'rc4', 'md5'] },
      ],
      'in the order the server picked them',
    );
    assert.equal(scan.connections, 5);
  });

  it('never offers more than 150 suites in one ClientHello, so wolfSSL servers answer', async () => {
    const offered: number[] = [];
    const server = await scriptedServer((hello) => {
      offered.push(hello.cipherSuites.length);
      return hello.cipherSuites.length > 150 ? alertRecord(2, 50) : pickFrom([0x002f])(hello);
    });
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'accepted');
    assert.ok(Math.max(...offered) <= 150);
  });

  it('counts the suite of a HelloRetryRequest as accepted', async () => {
    const server = await scriptedServer((hello) =>
      hello.cipherSuites.includes(0x1303)
        ? serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x1303, selectedVersion: 0x0304, random: HELLO_RETRY_RANDOM })
        : alertRecord(2, 40),
    );
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.3'])).versions;
    assert.equal(scan.status, 'accepted');
    assert.deepEqual(codes(scan), ['0x1303']);
  });

  it('ends an enumeration the server never refuses once every candidate is accepted', async () => {
    const server = await scriptedServer((hello) => serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: hello.cipherSuites[0], selectedVersion: 0x0304 }));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.3'])).versions;
    assert.equal(scan.status, 'accepted');
    assert.equal(scan.acceptedSuites.length, 5);
    assert.equal(scan.connections, 5);
  });

  it('records a suite that was not offered and stops there', async () => {
    const server = await scriptedServer((hello) => serverHelloRecord({ legacyVersion: hello.clientVersion, cipherSuite: 0x1234 }));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.match(scan.reason!, /0x1234, which was not offered/);
    assert.deepEqual(scan.acceptedSuites, [{ code: '0x1234', iana: 'unknown', forwardSecrecy: false, weaknesses: [] }]);
    assert.equal(scan.connections, 1);
  });

  it('stops when a server keeps choosing a suite it already chose', async () => {
    const server = await scriptedServer((hello) => serverHelloRecord({ legacyVersion: hello.clientVersion, cipherSuite: 0xc02f }));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.equal(scan.connections, 2);
    assert.deepEqual(codes(scan), ['0xC02F', '0xC02F']);
  });

  it('reports a ServerHello for another version as the version refused', async () => {
    const server = await scriptedServer(() => serverHelloRecord({ legacyVersion: 0x0301, cipherSuite: 0x002f }));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'version-refused');
    assert.match(scan.reason!, /answered with TLS 1\.0 instead of TLS 1\.2/);
    assert.deepEqual(scan.acceptedSuites, []);
  });

  it('reports no suite in common as the version refused, with the alert', async () => {
    const server = await scriptedServer(() => alertRecord(2, 71));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'version-refused');
    assert.match(scan.reason!, /no suite in common.*alert 71 \(insufficient_security\)/);
  });

  it('is undecided on an alert that says nothing about suites', async () => {
    const server = await scriptedServer(() => alertRecord(2, 80));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.match(scan.reason!, /alert 80 \(internal_error\)/);
  });

  it('is undecided when a connection fails midway, and keeps what it found', async () => {
    const server = await scriptedServer((hello, connection) => (connection === 1 ? pickFrom([0xc02f])(hello) : Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.match(scan.reason!, /not TLS.*after accepting 1 suites/);
    assert.deepEqual(codes(scan), ['0xC02F']);
  });

  it('is undecided on a server that hangs up without an alert', async () => {
    const server = await serve(afterPostgresYes((socket) => socket.end()));
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.match(scan.reason!, /closed/);
  });

  it('is undecided, within the deadline, on a server that never answers the ClientHello', async () => {
    const server = await serve(afterPostgresYes(() => undefined));
    const started = performance.now();
    const [scan] = (await scanCipherSuites(server.endpoint('postgres', 300), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.match(scan.reason!, /timeout: no complete answer to the ClientHello within 300 ms/);
    assert.ok(performance.now() - started < 800);
  });

  it('is undecided on a server that floods bytes without a ServerHello', async () => {
    const server = await serve(
      afterPostgresYes((socket) => {
        const flood = Buffer.concat([Buffer.from([22, 3, 3, 0x48, 0x00, 2, 0xff, 0xff, 0xff]), Buffer.alloc(0x4800 - 4)]);
        socket.write(Buffer.concat([flood, flood, flood, flood, flood]));
      }),
    );
    const [scan] = (await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.match(scan.reason!, /protocol-error/);
  });

  it("reports 'N' as tls-not-offered for every version", async () => {
    const server = await serve((socket) => void readExactly(socket, 8).then(() => socket.write('N'), () => undefined));
    const evidence = await scanCipherSuites(server.endpoint('postgres'), [...TLS_VERSIONS]);
    for (const scan of evidence.versions) {
      assert.equal(scan.status, 'tls-not-offered');
      assert.equal(scan.connections, 1);
    }
  });

  it('is undecided on an unreachable server', async () => {
    const server = await listen(() => undefined);
    const endpoint = server.endpoint('postgres');
    await server.close();
    const [scan] = (await scanCipherSuites(endpoint, ['TLSv1.2'])).versions;
    assert.equal(scan.status, 'undecided');
    assert.match(scan.reason!, /unreachable: .*ECONNREFUSED/);
  });

  it('scans versions in parallel, never more than `concurrency` at once', async () => {
    const mostWaiting = async (concurrency?: number) => {
      let waiting = 0;
      let most = 0;
      const server = await serve(
        afterPostgresYes((socket, hello) => {
          waiting += 1;
          most = Math.max(most, waiting);
          setTimeout(() => {
            waiting -= 1;
            socket.end(pickFrom([0x002f, 0x1301])(parseClientHello(hello)));
          }, 20);
        }),
      );
      await scanCipherSuites(server.endpoint('postgres'), [...TLS_VERSIONS], { concurrency });
      return most;
    };
    assert.equal(await mostWaiting(2), 2);
    assert.equal(await mostWaiting(), 4);
  });

  it('sends SNI for a DNS name given as servername', async () => {
    let sni: string | undefined;
    const server = await scriptedServer((hello) => {
      sni = hello.extensions.get(0)?.subarray(5).toString('ascii');
      return alertRecord(2, 40);
    });
    await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.3'], { servername: 'db.example.com' });
    assert.equal(sni, 'db.example.com');
  });
});
