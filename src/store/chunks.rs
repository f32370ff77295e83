//! Fast writing of `/raw/samples`: the shuffle and deflate filters are applied here, chunk
//! by chunk and in parallel, and the finished chunks handed to HDF5 as they are
//! (`H5Dwrite_chunk`). The file is the same as if HDF5 had filtered the data itself (any
//! reader decodes it with its standard filters), but compression no longer runs on one
//! core with the system zlib, which would make writing raw samples the slowest step of
//! `process`.

use std::cell::RefCell;
use std::path::Path;

use hdf5::Dataset;
use hdf5_sys::h5::hsize_t;
use libdeflater::{CompressionLvl, Compressor, Decompressor};
use ndarray::ArrayView2;
use rayon::prelude::*;

use super::error::StoreError;

/// Chunks compressed at a time: bounds the memory held by compressed chunks waiting to be
/// written.
const BATCH: usize = 64;

/// The shuffle filter: byte k of every element goes to the k-th quarter of the output.
fn shuffle(values: &[f32], out: &mut Vec<u8>) {
    let n = values.len();
    out.clear();
    out.resize(n * 4, 0);
    for (i, v) in values.iter().enumerate() {
        for (k, b) in v.to_le_bytes().into_iter().enumerate() {
            out[k * n + i] = b;
        }
    }
}

/// One chunk, shuffled and deflated (zlib format, as HDF5's deflate filter writes it).
pub(crate) fn compress_chunk(
    data: ArrayView2<f32>,
    first_row: usize,
    chunk_rows: usize,
    level: u8,
) -> Vec<u8> {
    let cols = data.ncols();
    // Chunks are stored whole; rows past the end of the data are zeros.
    let mut values = vec![0.0f32; chunk_rows * cols];
    let last = (first_row + chunk_rows).min(data.nrows());
    for (r, row) in data
        .slice(ndarray::s![first_row..last, ..])
        .rows()
        .into_iter()
        .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            values[r * cols + c] = *v;
        }
    }
    let mut shuffled = Vec::new();
    shuffle(&values, &mut shuffled);
    deflate(&shuffled, level)
}

thread_local! {
    /// Each thread's compressor, kept for its level.
    static DEFLATER: RefCell<Option<(u8, Compressor)>> = const { RefCell::new(None) };
}

/// `bytes` deflated at `level` (0–9, as zlib counts) in the zlib format.
fn deflate(bytes: &[u8], level: u8) -> Vec<u8> {
    DEFLATER.with_borrow_mut(|kept| {
        let compressor = match kept {
            Some((l, c)) if *l == level => c,
            _ => {
                let lvl = CompressionLvl::new(i32::from(level.min(9)))
                    .unwrap_or_else(|_| CompressionLvl::fastest());
                &mut kept.insert((level, Compressor::new(lvl))).1
            }
        };
        let mut out = vec![0u8; compressor.zlib_compress_bound(bytes.len())];
        let n = compressor
            .zlib_compress(bytes, &mut out)
            .expect("room for the compressor's bound");
        out.truncate(n);
        out
    })
}

/// Writes `data` into `ds` from row `first_row` (a multiple of `chunk_rows`) on; `ds` was
/// created with chunks of `chunk_rows` full rows and the filters shuffle then deflate (in
/// that order).
pub fn write_shuffled_deflated(
    ds: &Dataset,
    path: &Path,
    data: ArrayView2<f32>,
    first_row: usize,
    chunk_rows: usize,
    level: u8,
) -> Result<(), StoreError> {
    let chunks = data.nrows().div_ceil(chunk_rows);
    let mut start = 0;
    while start < chunks {
        let end = (start + BATCH).min(chunks);
        let compressed: Vec<Vec<u8>> = (start..end)
            .into_par_iter()
            .map(|i| compress_chunk(data, i * chunk_rows, chunk_rows, level))
            .collect();
        for (i, bytes) in (start..end).zip(&compressed) {
            write_chunk(ds, path, first_row + i * chunk_rows, bytes)?;
        }
        start = end;
    }
    Ok(())
}

/// Writes one compressed chunk (from [`compress_chunk`]) whose first row is `first_row`;
/// the dataset must already extend over it.
pub(crate) fn write_chunk(
    ds: &Dataset,
    path: &Path,
    first_row: usize,
    bytes: &[u8],
) -> Result<(), StoreError> {
    let offset: [hdf5_sys::h5::hsize_t; 2] = [first_row as u64, 0];
    // SAFETY: `ds` is an open dataset; `offset` has one entry per dimension and `bytes`
    // lives across the call; the library lock is held as for every call the hdf5 crate
    // makes.
    let status = hdf5::sync::sync(|| unsafe {
        hdf5_sys::h5d::H5Dwrite_chunk(
            ds.id(),
            hdf5_sys::h5p::H5P_DEFAULT,
            0,
            offset.as_ptr(),
            bytes.len(),
            bytes.as_ptr().cast(),
        )
    });
    if status < 0 {
        return Err(StoreError::Invalid {
            path: path.to_path_buf(),
            object: "/raw/samples".to_string(),
            problem: format!("writing the chunk at row {first_row} failed"),
        });
    }
    Ok(())
}

/// How a source's `/raw/samples` is stored, when its compressed chunks can be copied
/// as they are: f32, `(chunk_rows, all columns)` chunks, shuffle then deflate.
pub struct CopyableChunks {
    pub chunk_rows: usize,
    pub deflate_level: u8,
    /// The stored size of each chunk, in row order (chunk i starts at row i·`chunk_rows`).
    sizes: Vec<usize>,
}

impl CopyableChunks {
    /// Where chunk `index` starts: (row, column).
    fn offset(&self, index: usize) -> [hsize_t; 2] {
        [(index * self.chunk_rows) as hsize_t, 0]
    }
}

/// Whether `src` (of `rows` × `cols`) is stored so that its chunks can be copied into a
/// new `/raw/samples`: every chunk present, full-width, filtered shuffle then deflate.
pub fn copyable(src: &Dataset, rows: usize, cols: usize) -> Option<CopyableChunks> {
    use hdf5::filters::Filter;
    if src.shape() != [rows, cols] || !src.dtype().ok()?.is::<f32>() {
        return None;
    }
    let chunk = src.chunk()?;
    let (chunk_rows, chunk_cols) = (*chunk.first()?, *chunk.get(1)?);
    let deflate_level = match src.filters().as_slice() {
        [Filter::Shuffle, Filter::Deflate(level)] => *level,
        _ => return None,
    };
    if chunk_cols != cols || chunk_rows == 0 || rows == 0 {
        return None;
    }
    let count = src.num_chunks()?;
    if count != rows.div_ceil(chunk_rows) {
        return None;
    }
    let sizes = (0..count)
        .map(|i| stored_size(src, [(i * chunk_rows) as hsize_t, 0]))
        .collect::<Option<_>>()?;
    Some(CopyableChunks {
        chunk_rows,
        deflate_level,
        sizes,
    })
}

extern "C" {
    // In libhdf5 since 1.10.2; the hdf5-sys bindings leave it out.
    fn H5Dget_chunk_storage_size(
        dset_id: hdf5_sys::h5i::hid_t,
        offset: *const hsize_t,
        chunk_bytes: *mut hsize_t,
    ) -> hdf5_sys::h5::herr_t;
}

/// The stored size of the chunk of the two-dimensional `src` that starts at `offset`
/// (row, column), looked up in the chunk index by where it lies; `None` when it is not
/// stored. (The library's `chunk_info(i)` and `chunk_info_by_coord` walk every chunk before
/// the one asked for, so listing a 2-hour recording's 7 000 chunks with either took half a
/// second.)
fn stored_size(src: &Dataset, offset: [hsize_t; 2]) -> Option<usize> {
    let mut size: hsize_t = 0;
    // SAFETY: `src` is open and two-dimensional, so `offset` has one entry per dimension;
    // `size` lives across the call; the library lock is held as for every call the hdf5
    // crate makes.
    let status = hdf5::sync::sync(|| unsafe {
        H5Dget_chunk_storage_size(src.id(), offset.as_ptr(), &mut size)
    });
    (status >= 0 && size > 0).then_some(size as usize)
}

/// Reads the stored (still filtered) bytes of chunk `index` onto the end of `buffer` (whose
/// room is reused: only room it never had is zeroed); its filter mask.
fn read_stored(
    src: &Dataset,
    layout: &CopyableChunks,
    index: usize,
    buffer: &mut Vec<u8>,
) -> Option<u32> {
    let offset = layout.offset(index);
    let from = buffer.len();
    buffer.resize(from + *layout.sizes.get(index)?, 0);
    let mut mask: u32 = 0;
    // SAFETY: `src` is open; `offset` has one entry per dimension; the buffer holds the
    // chunk's stored size from `from` on, as the library reported it; the library lock is
    // held as for every call the hdf5 crate makes.
    let read = hdf5::sync::sync(|| unsafe {
        hdf5_sys::h5d::H5Dread_chunk(
            src.id(),
            hdf5_sys::h5p::H5P_DEFAULT,
            offset.as_ptr(),
            &mut mask,
            buffer[from..].as_mut_ptr().cast(),
        )
    });
    (read >= 0).then_some(mask)
}

/// Copies the stored chunks of `src` into `dst` (created with the same chunk shape and
/// filters) without decoding them.
pub fn copy_chunks(
    src: &Dataset,
    dst: &Dataset,
    layout: &CopyableChunks,
    path: &Path,
) -> Result<(), StoreError> {
    let failed = |what: &str| StoreError::Invalid {
        path: path.to_path_buf(),
        object: "/raw/samples".to_string(),
        problem: format!("copying the input's chunks failed ({what})"),
    };
    let mut buffer = Vec::new();
    for index in 0..layout.sizes.len() {
        buffer.clear();
        let mask = read_stored(src, layout, index, &mut buffer).ok_or_else(|| failed("read"))?;
        let offset = layout.offset(index);
        // SAFETY: `dst` is open; `offset` has one entry per dimension; `buffer` lives
        // across the call; the library lock is held as for every call the hdf5 crate makes.
        let written = hdf5::sync::sync(|| unsafe {
            hdf5_sys::h5d::H5Dwrite_chunk(
                dst.id(),
                hdf5_sys::h5p::H5P_DEFAULT,
                mask,
                offset.as_ptr(),
                buffer.len(),
                buffer.as_ptr().cast(),
            )
        });
        if written < 0 {
            return Err(failed("write"));
        }
    }
    Ok(())
}

/// Decodes the chunks of `src` (stored as `layout` says) from chunk `first` on into `out`,
/// which holds their rows, full width, in row order (the last may be cut at the end of the
/// data); `None` when a chunk is missing, stored otherwise, or does not decode. `stored`
/// holds a batch of stored chunks at a time (its room reused from call to call).
pub fn decode_chunks(
    src: &Dataset,
    layout: &CopyableChunks,
    first: usize,
    out: &mut [f32],
    stored: &mut Vec<u8>,
) -> Option<()> {
    let cols = src.shape().get(1).copied()?;
    // Reading stored bytes is quick and serial (the library is locked); decoding is the
    // work, and it runs on every core, a batch of chunks at a time to bound memory.
    let chunk_len = layout.chunk_rows * cols;
    for (b, batch) in out.chunks_mut(chunk_len * BATCH).enumerate() {
        stored.clear();
        let mut pieces: Vec<(std::ops::Range<usize>, &mut [f32])> = Vec::with_capacity(BATCH);
        for (j, piece) in batch.chunks_mut(chunk_len).enumerate() {
            let index = first + b * BATCH + j;
            let start = stored.len();
            let mask = read_stored(src, layout, index, stored)?;
            // A chunk stored with a filter skipped is read the ordinary way.
            if mask != 0 {
                return None;
            }
            pieces.push((start..stored.len(), piece));
        }
        let stored = &stored[..];
        let ok = pieces.into_par_iter().all(|(range, piece)| {
            INFLATER.with_borrow_mut(|(inflater, shuffled)| {
                shuffled.resize(chunk_len * 4, 0);
                let whole = inflater.zlib_decompress(&stored[range], shuffled);
                let whole = whole.is_ok_and(|n| n == shuffled.len());
                if whole {
                    unshuffle(shuffled, piece);
                }
                whole
            })
        });
        if !ok {
            return None;
        }
    }
    Some(())
}

thread_local! {
    /// Each thread's decompressor and its buffer for one chunk's shuffled bytes, reused
    /// from chunk to chunk.
    static INFLATER: RefCell<(Decompressor, Vec<u8>)> =
        RefCell::new((Decompressor::new(), Vec::new()));
}

/// Fills `piece` from the shuffled bytes of a whole chunk: byte k of element i sits at
/// k·n + i. Only the rows inside the data are kept (the last chunk is stored whole).
fn unshuffle(shuffled: &[u8], piece: &mut [f32]) {
    let n = shuffled.len() / 4;
    let (b0, rest) = shuffled.split_at(n);
    let (b1, rest) = rest.split_at(n);
    let (b2, b3) = rest.split_at(n);
    for ((((v, a), b), c), d) in piece.iter_mut().zip(b0).zip(b1).zip(b2).zip(b3) {
        *v = f32::from_le_bytes([*a, *b, *c, *d]);
    }
}

#[cfg(test)]
mod tests {
    /// The chunks found by where they lie are the library's own list, in row order, for a
    /// dataset the library filtered itself; a dataset with a chunk never written is not
    /// copyable.
    #[test]
    fn stored_chunks_are_the_librarys_in_row_order() {
        let path = std::env::temp_dir().join(format!("chunks-{}.h5", std::process::id()));
        let file = hdf5::File::create(&path).unwrap();
        let (rows, cols, chunk_rows) = (10 * 64 + 7, 3, 64);
        let data: Vec<f32> = (0..rows * cols).map(|i| (i as f32 * 0.37).sin()).collect();
        let make = |name| {
            file.new_dataset::<f32>()
                .shape((rows, cols))
                .chunk((chunk_rows, cols))
                .shuffle()
                .deflate(4)
                .create(name)
                .unwrap()
        };
        let ds = make("samples");
        ds.write_raw(&data).unwrap();
        let layout = super::copyable(&ds, rows, cols).expect("copyable");
        let listed: Vec<_> = (0..ds.num_chunks().unwrap())
            .map(|i| ds.chunk_info(i).unwrap())
            .collect();
        assert_eq!(listed.len(), 11);
        for (i, info) in listed.iter().enumerate() {
            assert_eq!(info.offset, layout.offset(i));
            assert_eq!(info.size as usize, layout.sizes[i]);
        }
        assert_eq!(layout.sizes.len(), listed.len());
        assert_eq!(layout.chunk_rows, chunk_rows);
        assert_eq!(layout.deflate_level, 4);

        let sparse = make("sparse");
        sparse
            .write_slice(
                &ndarray::Array2::<f32>::ones((chunk_rows, cols)),
                (0..chunk_rows, ..),
            )
            .unwrap();
        assert!(super::stored_size(&sparse, [0, 0]).is_some());
        assert!(super::stored_size(&sparse, [chunk_rows as u64, 0]).is_none());
        assert!(super::copyable(&sparse, rows, cols).is_none());
        drop((ds, sparse, file));
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn shuffle_groups_bytes_by_position() {
        let mut out = Vec::new();
        super::shuffle(
            &[
                f32::from_le_bytes([1, 2, 3, 4]),
                f32::from_le_bytes([5, 6, 7, 8]),
            ],
            &mut out,
        );
        assert_eq!(out, vec![1, 5, 2, 6, 3, 7, 4, 8]);
    }
}
