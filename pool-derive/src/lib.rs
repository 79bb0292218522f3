//! Derive macros for lanepool.
//!
//! This crate will hold `#[derive(SoA)]`: it turns a plain struct into a cache-line-aligned,
//! fixed-lane Structure-of-Arrays block that lives in a `pool_core::Pool`. Use it through the
//! `lanepool` facade, which re-exports it behind the default `derive` feature.
