import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSslRequest } from '../../src/wire/mysql/ssl-request.js';

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;

describe('buildSslRequest', () => {
  it('is a 32-byte packet with sequence id 1, our flags, a 16 MiB max packet, utf8mb4 and 23 zero bytes', () => {
    const packet = buildSslRequest(0xffffffff, 1);
    assert.equal(packet.length, 36);
    assert.equal(packet.readUIntLE(0, 3), 32);
    assert.equal(packet[3], 1);
    const flags = packet.readUInt32LE(4);
    for (const flag of [CLIENT_LONG_PASSWORD, CLIENT_PROTOCOL_41, CLIENT_SSL, CLIENT_SECURE_CONNECTION, CLIENT_PLUGIN_AUTH]) {
      assert.ok(flags & flag, `flag 0x${flag.toString(16)}`);
    }
    assert.equal(packet.readUInt32LE(8), 16 * 1024 * 1024);
    assert.equal(packet[12], 45);
    assert.deepEqual(packet.subarray(13), Buffer.alloc(23));
  });

  it('claims no capability the server lacks', () => {
    const serverCapabilities = CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION;
    assert.equal(buildSslRequest(serverCapabilities, 1).readUInt32LE(4), serverCapabilities);
  });
});
