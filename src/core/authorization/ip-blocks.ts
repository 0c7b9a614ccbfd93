import ipaddr from "ipaddr.js";

interface Range {
  v6: boolean;
  start: bigint;
  end: bigint;
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

/** A CIDR or a single address as a range; undefined when it is neither. */
export function rangeOf(block: string): Range | undefined {
  try {
    const [address, bits] = block.includes("/") ? ipaddr.parseCIDR(block) : (() => {
      const a = ipaddr.parse(block);
      return [a, a.kind() === "ipv6" ? 128 : 32] as const;
    })();
    const v6 = address.kind() === "ipv6";
    const width = v6 ? 128 : 32;
    const value = toBigInt(address.toByteArray());
    const host = (1n << BigInt(width - bits)) - 1n;
    return { v6, start: value & ~host, end: (value & ~host) | host };
  } catch {
    return undefined;
  }
}

/** Whether an address lies in one of the blocks (IPv4 addresses match IPv4 blocks only, as in Envoy). */
export function inBlocks(address: string, blocks: readonly string[]): boolean {
  const point = rangeOf(address);
  if (!point) return false;
  return blocks.some((block) => {
    const range = rangeOf(block);
    return range !== undefined && range.v6 === point.v6 && range.start <= point.start && point.start <= range.end;
  });
}

/** Which whole address spaces the blocks cover together (two halves of 0.0.0.0/0 cover IPv4). */
export function coverage(blocks: readonly string[]): { v4: boolean; v6: boolean } {
  const ranges = blocks.map(rangeOf).filter((r): r is Range => r !== undefined);
  const covers = (v6: boolean): boolean => {
    const max = (1n << (v6 ? 128n : 32n)) - 1n;
    let next = 0n;
    for (const r of ranges.filter((x) => x.v6 === v6).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
      if (r.start > next) return false;
      if (r.end + 1n > next) next = r.end + 1n;
      if (next > max) return true;
    }
    return false;
  };
  return { v4: covers(false), v6: covers(true) };
}

function addressOf(value: bigint, v6: boolean): string {
  const bytes: number[] = [];
  for (let i = 0; i < (v6 ? 16 : 4); i++) bytes.unshift(Number((value >> BigInt(8 * i)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * The addresses at a block's edges, inside and just outside it: where a change of blocks can
 * let an address in or keep it out. Empty for text that is not an address or CIDR.
 */
export function blockEdges(block: string): string[] {
  const range = rangeOf(block);
  if (!range) return [];
  const max = (1n << (range.v6 ? 128n : 32n)) - 1n;
  const points = [range.start, range.end, ...(range.start > 0n ? [range.start - 1n] : []), ...(range.end < max ? [range.end + 1n] : [])];
  return [...new Set(points.map((p) => addressOf(p, range.v6)))];
}
