/**
 * Builds the bytes of a Redis bus frame by hand (magic `HC`, 8-byte number, epoch length and text,
 * body), independently of lib/redis/redis-frame.ts, for tests that publish forged frames.
 */
export function frameBytes(seq: number, epoch: string, body: Uint8Array): Buffer {
  const header = Buffer.alloc(11);
  header.write('HC', 0, 'latin1');
  header.writeBigUInt64BE(BigInt(seq), 2);
  header[10] = Buffer.byteLength(epoch, 'latin1');
  return Buffer.concat([header, Buffer.from(epoch, 'latin1'), body]);
}

/** The same frame as `frame` with another sequence number. */
export function renumbered(frame: Buffer, seq: number): Buffer {
  const copy = Buffer.from(frame);
  copy.writeBigUInt64BE(BigInt(seq), 2);
  return copy;
}
