//! sea-orm entities, one file per table. The schema itself is defined by `migrations`.

pub mod department;
pub mod fiscal_year;
pub mod indicator;
pub mod project;
