//! The part of the zip format `.npz` archives use: stored and deflated members, zip64 sizes.
//!
//! This is written here rather than taken from the `zip` crate because that crate's derive
//! dependencies pulled a second major version of `syn` into the build for this one feature;
//! deflate and CRC-32 come from `flate2` and `crc32fast`, which `png` already builds.
//! The layout follows PKWARE's APPNOTE: a local header before each member's data, then a central
//! directory listing every member, then an end-of-central-directory record (and its zip64
//! form when counts, sizes or offsets overflow their 16- or 32-bit fields). numpy writes zip64
//! fields even for small members, so the reader always honours them.

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read, Write};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
/// The extra-field id of zip64's 64-bit sizes and offset.
const ZIP64_EXTRA: u16 = 0x0001;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// A 32-bit field holding this value means "see the zip64 extra field".
const FULL32: u64 = 0xffff_ffff;
/// The DOS date of 1980-01-01, the earliest a zip can hold: archives are reproducible.
const DOS_DATE: u16 = (1 << 5) | 1;

/// Little-endian reads at an offset, failing on truncation; every offset sum is checked, so
/// offsets near `usize::MAX` are errors, not overflows.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    /// The `len` bytes at `at`, or an error if they run past the end.
    fn slice(&self, at: usize, len: usize) -> Result<&'a [u8], String> {
        at.checked_add(len)
            .and_then(|end| self.0.get(at..end))
            .ok_or_else(|| "truncated zip archive".to_string())
    }
    fn get<const N: usize>(&self, at: usize) -> Result<[u8; N], String> {
        let slice = self.slice(at, N)?;
        // `slice` has exactly `N` bytes, so the conversion cannot fail.
        Ok(slice
            .try_into()
            .expect("internal error: slice of the wrong length"))
    }
    fn u16(&self, at: usize) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.get(at)?))
    }
    fn u32(&self, at: usize) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.get(at)?))
    }
    fn u64(&self, at: usize) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.get(at)?))
    }
}

/// The size of a central-directory header before its name, extra field and comment.
const CENTRAL_HEADER_LEN: usize = 46;
/// The size of a local header before its name and extra field.
const LOCAL_HEADER_LEN: usize = 30;
/// The largest expansion deflate can give: zlib's FAQ puts it at 1032:1 (a 258-byte match
/// coded in two bits). A member that declares more than this is corrupt or hostile, and is
/// rejected before anything is allocated for it.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// One member as the central directory declares it, checked against the archive's bytes.
struct Member<'a> {
    name: String,
    method: u16,
    crc: u32,
    /// The uncompressed size, at most `MAX_DEFLATE_RATIO` times the packed data's length.
    len: u64,
    /// The member's stored or deflated bytes.
    packed: &'a [u8],
    /// Where its local header starts and its data ends, to find members that overlap.
    span: (usize, usize),
}

/// Where the central directory starts, how many entries it has, and where it ends.
fn find_directory(bytes: &Bytes<'_>) -> Result<(usize, u64, usize), String> {
    let archive = bytes.0;
    let not_zip = || "not a zip archive: no end-of-central-directory record".to_string();
    // The end record is 22 bytes plus a comment of at most 64 KiB, at the very end.
    let search_from = archive.len().saturating_sub(22 + 0xffff);
    let end = (search_from..archive.len().saturating_sub(21))
        .rev()
        .find(|&at| bytes.u32(at).ok() == Some(END_OF_CENTRAL_DIRECTORY))
        .ok_or_else(not_zip)?;
    let count = u64::from(bytes.u16(end + 10)?);
    let directory = u64::from(bytes.u32(end + 16)?);
    if end < 20 || bytes.u32(end - 20)? != ZIP64_LOCATOR {
        let directory = usize::try_from(directory)
            .ok()
            .filter(|&directory| directory <= end)
            .ok_or("the central directory's offset is past its end record")?;
        return Ok((directory, count, end));
    }
    // The zip64 end record (56 bytes before its extensible data) lies before the locator.
    let locator = end - 20;
    let zip64_end = usize::try_from(bytes.u64(locator + 8)?)
        .ok()
        .filter(|&at| {
            at.checked_add(56)
                .is_some_and(|record_end| record_end <= locator)
        })
        .ok_or("the zip64 end-of-central-directory offset is out of range")?;
    if bytes.u32(zip64_end)? != ZIP64_END_OF_CENTRAL_DIRECTORY {
        return Err("corrupt zip64 end-of-central-directory record".into());
    }
    let count = bytes.u64(zip64_end + 32)?;
    let directory = usize::try_from(bytes.u64(zip64_end + 48)?)
        .ok()
        .filter(|&directory| directory <= zip64_end)
        .ok_or("the zip64 central directory's offset is past its end record")?;
    Ok((directory, count, zip64_end))
}

/// Reads the central directory: every member's declared sizes, each checked against the
/// archive's length before anything is allocated for it.
fn read_directory<'a>(bytes: &Bytes<'a>) -> Result<Vec<Member<'a>>, String> {
    let (directory, count, directory_end) = find_directory(bytes)?;
    // Each entry takes at least 46 bytes, so the directory's length bounds the count.
    let room = (directory_end - directory) / CENTRAL_HEADER_LEN;
    if count > room as u64 {
        return Err(format!(
            "the central directory declares {count} members, but its {} bytes hold at most {room}",
            directory_end - directory
        ));
    }
    let mut members = Vec::with_capacity(room.min(count as usize));
    let mut at = directory;
    for _ in 0..count {
        if at > directory_end || bytes.u32(at)? != CENTRAL_HEADER {
            return Err("corrupt zip central directory".into());
        }
        let flags = bytes.u16(at + 8)?;
        let method = bytes.u16(at + 10)?;
        let crc = bytes.u32(at + 16)?;
        let mut packed_len = u64::from(bytes.u32(at + 20)?);
        let mut len = u64::from(bytes.u32(at + 24)?);
        let name_len = usize::from(bytes.u16(at + 28)?);
        let extra_len = usize::from(bytes.u16(at + 30)?);
        let comment_len = usize::from(bytes.u16(at + 32)?);
        let mut local = u64::from(bytes.u32(at + 42)?);
        let name_start = at + CENTRAL_HEADER_LEN;
        let name = String::from_utf8_lossy(bytes.slice(name_start, name_len)?).into_owned();
        let extra = bytes.slice(name_start + name_len, extra_len)?;
        at = name_start + name_len + extra_len + comment_len;
        let fail = |message: &str| format!("member {name:?}: {message}");
        read_zip64_extra(extra, [&mut len, &mut packed_len, &mut local]).map_err(|m| fail(&m))?;
        if flags & 1 != 0 {
            return Err(fail("encrypted members are not supported"));
        }

        // The local header and the data after it lie before the central directory.
        let local = usize::try_from(local)
            .ok()
            .filter(|&local| local < directory)
            .ok_or_else(|| fail(&format!("local header offset {local} is out of range")))?;
        if bytes.u32(local).map_err(|m| fail(&m))? != LOCAL_HEADER {
            return Err(fail("corrupt local header"));
        }
        let local_names = usize::from(bytes.u16(local + 26).map_err(|m| fail(&m))?)
            + usize::from(bytes.u16(local + 28).map_err(|m| fail(&m))?);
        let data_start = local + LOCAL_HEADER_LEN + local_names;
        let data_end = u64::try_from(data_start)
            .ok()
            .and_then(|start| start.checked_add(packed_len))
            .filter(|&end| end <= directory as u64)
            .ok_or_else(|| {
                fail(&format!(
                    "its {packed_len} bytes of data run past the start of the central directory \
                     (offset {directory})"
                ))
            })?;
        // `data_end` is at most `directory`, a `usize`.
        let data_end = data_end as usize;
        let packed = &bytes.0[data_start..data_end];
        match method {
            STORED if len != packed_len => {
                return Err(fail(&format!(
                    "a stored member declares {len} bytes but holds {packed_len}"
                )));
            }
            DEFLATED if len > (packed_len + 1).saturating_mul(MAX_DEFLATE_RATIO) => {
                return Err(fail(&format!(
                    "declares {len} bytes, more than its {packed_len} deflated bytes can hold"
                )));
            }
            STORED | DEFLATED => {}
            other => {
                return Err(fail(&format!(
                    "compression method {other} is not supported (stored and deflate are)"
                )));
            }
        }
        members.push(Member {
            name,
            method,
            crc,
            len,
            packed,
            span: (local, data_end),
        });
    }
    Ok(members)
}

/// Reads the zip64 extra field's 64-bit values into the fields that hold `0xffff_ffff`, in the
/// order APPNOTE gives (size, packed size, local header offset); each must lie inside its field.
fn read_zip64_extra(extra: &[u8], targets: [&mut u64; 3]) -> Result<(), String> {
    let fields = Bytes(extra);
    let mut field = 0;
    while field + 4 <= extra.len() {
        let (id, size) = (fields.u16(field)?, usize::from(fields.u16(field + 2)?));
        let data = Bytes(
            fields
                .slice(field + 4, size)
                .map_err(|_| "an extra field runs past its header's end".to_string())?,
        );
        if id == ZIP64_EXTRA {
            let mut value = 0;
            for target in targets {
                if *target == FULL32 {
                    *target = data
                        .u64(value)
                        .map_err(|_| "the zip64 extra field is too short".to_string())?;
                    value += 8;
                }
            }
            return Ok(());
        }
        field += 4 + size;
    }
    Ok(())
}

/// Reads every member of a zip archive as (name, uncompressed bytes), in directory order.
///
/// Every size and offset the archive declares is checked against its length first: members
/// must lie before the central directory without overlapping (overlapping members are how zip
/// bombs reuse one compressed kernel many times), a deflated member may declare at most 1032
/// times its packed size, and inflation stops one byte past the declared size. So the memory
/// this takes is bounded by a multiple of the archive's length, whatever it declares.
pub(crate) fn read_members(archive: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut members = read_directory(&Bytes(archive))?;
    let mut spans: Vec<(usize, usize, &str)> = members
        .iter()
        .map(|member| (member.span.0, member.span.1, member.name.as_str()))
        .collect();
    spans.sort_unstable();
    if let Some(pair) = spans.windows(2).find(|pair| pair[0].1 > pair[1].0) {
        return Err(format!(
            "members {:?} and {:?} overlap: the archive is corrupt (or a zip bomb)",
            pair[0].2, pair[1].2
        ));
    }
    members.retain(|member| !member.name.ends_with('/'));
    members.into_iter().map(inflate).collect()
}

/// The uncompressed bytes of a member whose declared sizes were checked, checked against its
/// declared size and CRC.
fn inflate(member: Member<'_>) -> Result<(String, Vec<u8>), String> {
    let fail = |message: &str| format!("member {:?}: {message}", member.name);
    let data = if member.method == STORED {
        member.packed.to_vec()
    } else {
        // `len` is at most 1032 times the packed length, which is in memory, so it fits `usize`;
        // the reservation is fallible so that even a huge archive's member is an error, not an
        // abort, when memory runs out.
        let len = usize::try_from(member.len).map_err(|_| fail("size out of range"))?;
        let mut data = Vec::new();
        data.try_reserve_exact(len)
            .map_err(|_| fail(&format!("cannot allocate {len} bytes to inflate it")))?;
        let mut decoder = DeflateDecoder::new(member.packed);
        (&mut decoder)
            .take(member.len)
            .read_to_end(&mut data)
            .map_err(|err| fail(&format!("corrupt deflate data: {err}")))?;
        // One more byte means the data inflates past its declared size: stop there rather
        // than inflate the rest.
        let more = decoder
            .read(&mut [0u8; 1])
            .map_err(|err| fail(&format!("corrupt deflate data: {err}")))?;
        if more > 0 {
            return Err(fail(&format!(
                "inflates to more than the {} bytes it declares",
                member.len
            )));
        }
        data
    };
    if data.len() as u64 != member.len {
        return Err(fail(&format!(
            "holds {} bytes but declares {}: the archive is corrupt",
            data.len(),
            member.len
        )));
    }
    let crc = crc32fast::hash(&data);
    if crc != member.crc {
        return Err(fail(&format!(
            "CRC mismatch (the data's is {crc:08x}, the archive says {:08x}): the archive is corrupt",
            member.crc
        )));
    }
    Ok((member.name, data))
}

/// One member's entry in the central directory, kept until the directory is written.
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    packed_len: u64,
    len: u64,
    local: u64,
}

impl Entry {
    /// The zip64 extra field for the values that overflow 32 bits (`with_offset` for the
    /// central directory, which also carries the local header's offset).
    fn zip64_extra(&self, with_offset: bool) -> Vec<u8> {
        let mut values = Vec::new();
        for (value, wanted) in [
            (self.len, true),
            (self.packed_len, true),
            (self.local, with_offset),
        ] {
            if wanted && value >= FULL32 {
                values.extend_from_slice(&value.to_le_bytes());
            }
        }
        if values.is_empty() {
            return values;
        }
        let mut extra = Vec::with_capacity(4 + values.len());
        extra.extend_from_slice(&ZIP64_EXTRA.to_le_bytes());
        extra.extend_from_slice(&(values.len() as u16).to_le_bytes());
        extra.extend_from_slice(&values);
        extra
    }

    /// The common fields of local and central headers, from "version needed" to the name length.
    fn common_fields(&self, out: &mut Vec<u8>, extra_len: usize) {
        let needs_zip64 = extra_len > 0;
        out.extend_from_slice(&(if needs_zip64 { 45u16 } else { 20 }).to_le_bytes());
        // Bit 11: the name is UTF-8.
        out.extend_from_slice(&(1u16 << 11).to_le_bytes());
        out.extend_from_slice(&self.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&self.crc.to_le_bytes());
        out.extend_from_slice(&(self.packed_len.min(FULL32) as u32).to_le_bytes());
        out.extend_from_slice(&(self.len.min(FULL32) as u32).to_le_bytes());
        out.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&(extra_len as u16).to_le_bytes());
    }
}

/// A zip archive of `members`, each stored or deflated.
pub(crate) fn write_members(
    members: &[(String, Vec<u8>)],
    deflate: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut entries = Vec::with_capacity(members.len());
    for (name, data) in members {
        if name.len() > usize::from(u16::MAX) {
            return Err(format!(
                "member name of {} bytes is too long for zip",
                name.len()
            ));
        }
        let packed = if deflate {
            let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
            encoder
                .write_all(data)
                .and_then(|()| encoder.finish())
                .map_err(|err| format!("deflate: {err}"))?
        } else {
            data.clone()
        };
        let entry = Entry {
            name: name.clone(),
            method: if deflate { DEFLATED } else { STORED },
            crc: crc32fast::hash(data),
            packed_len: packed.len() as u64,
            len: data.len() as u64,
            local: out.len() as u64,
        };
        let extra = entry.zip64_extra(false);
        out.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
        entry.common_fields(&mut out, extra.len());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&extra);
        out.extend_from_slice(&packed);
        entries.push(entry);
    }
    let directory = out.len() as u64;
    for entry in &entries {
        let extra = entry.zip64_extra(true);
        out.extend_from_slice(&CENTRAL_HEADER.to_le_bytes());
        // "Version made by": 3.0 (APPNOTE 4.4.2), on MS-DOS/FAT, which has no permission bits.
        out.extend_from_slice(&30u16.to_le_bytes());
        entry.common_fields(&mut out, extra.len());
        // Comment length, disk number, internal and external attributes.
        out.extend_from_slice(&[0; 10]);
        out.extend_from_slice(&(entry.local.min(FULL32) as u32).to_le_bytes());
        out.extend_from_slice(entry.name.as_bytes());
        out.extend_from_slice(&extra);
    }
    let directory_len = out.len() as u64 - directory;
    let count = entries.len() as u64;
    if count >= 0xffff || directory >= FULL32 || directory_len >= FULL32 {
        let zip64_end = out.len() as u64;
        out.extend_from_slice(&ZIP64_END_OF_CENTRAL_DIRECTORY.to_le_bytes());
        out.extend_from_slice(&44u64.to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        for value in [count, count, directory_len, directory] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        out.extend_from_slice(&ZIP64_LOCATOR.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&zip64_end.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    out.extend_from_slice(&END_OF_CENTRAL_DIRECTORY.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    for _ in 0..2 {
        out.extend_from_slice(&(count.min(0xffff) as u16).to_le_bytes());
    }
    out.extend_from_slice(&(directory_len.min(FULL32) as u32).to_le_bytes());
    out.extend_from_slice(&(directory.min(FULL32) as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members() -> Vec<(String, Vec<u8>)> {
        vec![
            ("a.npy".to_string(), b"hello hello hello hello".to_vec()),
            (
                "dir/é.npy".to_string(),
                (0..=255u8).cycle().take(5000).collect(),
            ),
            ("empty.npy".to_string(), Vec::new()),
        ]
    }

    #[test]
    fn stored_and_deflated_archives_round_trip() {
        for deflate in [false, true] {
            let archive = write_members(&members(), deflate).unwrap();
            assert_eq!(
                read_members(&archive).unwrap(),
                members(),
                "deflate {deflate}"
            );
        }
    }

    #[test]
    fn zip64_fields_are_read() {
        // A member whose local and central sizes say "see zip64", as numpy's force_zip64 does.
        let archive = write_members(&members()[..1], false).unwrap();
        let mut patched = Vec::new();
        let data_len = members()[0].1.len() as u64;
        let extra = [
            &ZIP64_EXTRA.to_le_bytes()[..],
            &16u16.to_le_bytes(),
            &data_len.to_le_bytes(),
            &data_len.to_le_bytes(),
        ]
        .concat();
        // Rebuild by hand: local header with zip64 extra, data, central header with zip64 extra.
        let name = b"a.npy";
        let crc = crc32fast::hash(&members()[0].1);
        patched.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
        patched.extend_from_slice(&[45, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        patched.extend_from_slice(&crc.to_le_bytes());
        patched.extend_from_slice(&[0xff; 8]);
        patched.extend_from_slice(&(name.len() as u16).to_le_bytes());
        patched.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        patched.extend_from_slice(name);
        patched.extend_from_slice(&extra);
        patched.extend_from_slice(&members()[0].1);
        let directory = patched.len() as u32;
        patched.extend_from_slice(&CENTRAL_HEADER.to_le_bytes());
        patched.extend_from_slice(&[30, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        patched.extend_from_slice(&crc.to_le_bytes());
        patched.extend_from_slice(&[0xff; 8]);
        patched.extend_from_slice(&(name.len() as u16).to_le_bytes());
        patched.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        patched.extend_from_slice(&[0; 14]);
        patched.extend_from_slice(name);
        patched.extend_from_slice(&extra);
        let directory_len = patched.len() as u32 - directory;
        patched.extend_from_slice(&END_OF_CENTRAL_DIRECTORY.to_le_bytes());
        patched.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
        patched.extend_from_slice(&directory_len.to_le_bytes());
        patched.extend_from_slice(&directory.to_le_bytes());
        patched.extend_from_slice(&[0, 0]);
        assert_eq!(
            read_members(&patched).unwrap(),
            read_members(&archive).unwrap()
        );
    }

    #[test]
    fn corrupt_archives_are_errors() {
        let archive = write_members(&members(), true).unwrap();
        assert!(read_members(b"hello").unwrap_err().contains("not a zip"));
        // The first member's data starts after its 30-byte header and 5-byte name.
        let mut flipped = write_members(&members(), false).unwrap();
        flipped[30 + 5] ^= 0xff;
        assert!(read_members(&flipped).unwrap_err().contains("CRC"));
        assert!(read_members(&archive[..archive.len() - 30]).is_err());
    }
}
