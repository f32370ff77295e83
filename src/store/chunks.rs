//! Fast writing of `/raw/samples`: the shuffle and deflate filters are applied here, chunk
//! by chunk and in parallel, and the finished chunks handed to HDF5 as they are
//! (`H5Dwrite_chunk`). The file is the same as if HDF5 had filtered the data itself (any
//! reader decodes it with its standard filters), but compression no longer runs on one
//! core with the system zlib, which would make writing raw samples the slowest step of
//! `process`.

use std::io::Write as _;
use std::path::Path;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use hdf5::Dataset;
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
fn compress_chunk(
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
    let mut encoder = ZlibEncoder::new(
        Vec::with_capacity(shuffled.len() / 2),
        Compression::new(u32::from(level)),
    );
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(&shuffled);
    encoder.finish().unwrap_or_default()
}

/// Writes `data` into `ds`, a dataset of the same shape created with chunks of
/// `chunk_rows` full rows and the filters shuffle then deflate (in that order).
pub fn write_shuffled_deflated(
    ds: &Dataset,
    path: &Path,
    data: ArrayView2<f32>,
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
            let offset: [hdf5_sys::h5::hsize_t; 2] = [(i * chunk_rows) as u64, 0];
            // SAFETY: `ds` is an open dataset; `offset` has one entry per dimension and
            // `bytes` lives across the call; the library lock is held as for every call
            // the hdf5 crate makes.
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
                    problem: format!("writing chunk {i} failed"),
                });
            }
        }
        start = end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
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
