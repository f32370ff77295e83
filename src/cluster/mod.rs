//! Batch runs split over many machines: which inputs a task of a job array takes
//! ([`shard`]), the list of inputs read from a file ([`inputs`]), which outputs are already
//! complete ([`skip`]), and the Slurm scripts that run `process` as a job array
//! ([`slurm`]). Nothing here schedules or moves data: Slurm (or Kubernetes, or GNU
//! parallel) does, on a shared file system.

pub mod inputs;
pub mod shard;
pub mod skip;
pub mod slurm;
