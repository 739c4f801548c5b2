/**
 * Which entries of a .zip are symbolic links. Pure. The streaming unzip (fflate's `Unzip`)
 * reads only the local headers, which carry no file type; the type is in each central
 * directory record's external attributes (`mode << 16`, as zip and Info-ZIP write on Unix
 * and macOS), so this reads the central directory on its own.
 */
import { strFromU8 } from "fflate";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const CENTRAL_RECORD = 0x02014b50;
/** the end record is 22 bytes plus a comment of at most 65,535 */
const END_SEARCH_BYTES = 22 + 0xffff;
const FILE_TYPE_MASK = 0o170000;
const SYMBOLIC_LINK = 0o120000;
/** general-purpose flag bit 11: the name is UTF-8 (else CP437, which fflate reads as Latin-1) */
const UTF8_NAME = 0x800;

/**
 * The names (decoded as fflate decodes them, so they equal `UnzipFile.name`) of the entries
 * whose Unix mode says symbolic link. A zip whose central directory can't be found or read
 * yields the links read before the damage (none when it can't be found): such an archive is
 * refused or read by the unzip itself, and every entry the set misses stays a file as before.
 */
export function zipSymlinkNames(zip: Uint8Array): Set<string> {
  const links = new Set<string>();
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  let end = -1;
  for (let at = zip.length - 22; at >= 0 && zip.length - at <= END_SEARCH_BYTES; at--) {
    if (u32(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return links;
  let count = u16(end + 10);
  let offset = u32(end + 16);
  if (end >= 20 && u32(end - 20) === ZIP64_LOCATOR) {
    const zip64End = Number(view.getBigUint64(end - 12, true));
    if (zip64End + 56 <= zip.length && u32(zip64End) === ZIP64_END_OF_CENTRAL_DIRECTORY) {
      count = Number(view.getBigUint64(zip64End + 32, true));
      offset = Number(view.getBigUint64(zip64End + 48, true));
    }
  }
  for (let i = 0; i < count && offset + 46 <= zip.length && u32(offset) === CENTRAL_RECORD; i++) {
    const nameLength = u16(offset + 28);
    const next = offset + 46 + nameLength + u16(offset + 30) + u16(offset + 32);
    if (next > zip.length) break;
    const mode = u32(offset + 38) >>> 16;
    if ((mode & FILE_TYPE_MASK) === SYMBOLIC_LINK) {
      const latin1 = (u16(offset + 8) & UTF8_NAME) === 0;
      links.add(strFromU8(zip.subarray(offset + 46, offset + 46 + nameLength), latin1));
    }
    offset = next;
  }
  return links;
}
