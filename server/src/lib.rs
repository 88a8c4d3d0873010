//! The jixiao server as a library, so integration tests drive the same code as the binary.
#![recursion_limit = "512"]

pub mod cli;
pub mod client;
pub mod files;
pub mod loadtest;
pub mod security;
pub mod web;
