//! The jixiao server as a library, so integration tests drive the same code as the binary.

pub mod cli;
pub mod web;
