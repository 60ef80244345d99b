/**
 * Entry point of a reach probe run inside another network namespace (`ip netns exec <ns> node
 * vantage-probe-main.js`): Node cannot move one socket into a namespace, so the probe moves. Reads
 * a ReachRequest as JSON on stdin and writes the ReachEvidence as JSON on stdout.
 */
import { reachServer, type ReachRequest } from './reach.js';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReachRequest;
process.stdout.write(`${JSON.stringify(await reachServer(request))}\n`);
