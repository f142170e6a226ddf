//! The JSON instance file: a pool snapshot plus parameters, versioned.
//!
//! Format (documented with an example in `docs/matching-instance-format.md`):
//! `{ "format_version": 1, "params": {…}, "experts": […], "needs": […], "continuity": [[a, b], …] }`
//! where `experts`, `needs` and `continuity` are exactly [`Pool`]'s fields and `params` is
//! [`Params`] (optional, every field defaulted).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{Expert, InvalidField, Need, Pool};
use super::params::Params;

/// The version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Why an instance file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// Not JSON, or not an instance object at all.
    #[error("bad instance file: {0}")]
    Parse(#[from] serde_json::Error),
    /// A missing field, a wrong type, an unknown field, an impossible value: the path names the field
    /// (`experts[3].available_from`), serde's message says what is wrong and where.
    #[error("bad instance file: {path}: {source}")]
    Field { path: String, source: serde_json::Error },
    #[error("bad instance file: expected an instance: an object with format_version, experts and needs")]
    NotAnObject,
    #[error("bad instance file: missing field `format_version`")]
    MissingVersion,
    #[error("bad instance file: unsupported format_version {found} (this build reads {FORMAT_VERSION})")]
    UnsupportedVersion { found: serde_json::Value },
    #[error("bad instance file: {0}")]
    Invalid(#[from] InvalidField),
}

#[derive(Deserialize)]
struct VersionOnly {
    format_version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstanceOwned {
    #[allow(dead_code)]
    format_version: u32,
    #[serde(default)]
    params: Params,
    experts: Vec<Expert>,
    needs: Vec<Need>,
    #[serde(default)]
    continuity: Vec<(Uuid, Uuid)>,
}

#[derive(Serialize)]
struct InstanceRef<'a> {
    format_version: u32,
    params: &'a Params,
    experts: &'a [Expert],
    needs: &'a [Need],
    continuity: &'a [(Uuid, Uuid)],
}

/// Parses an instance from JSON text, checks the version, the parameters and the pool.
pub fn from_str(text: &str) -> Result<(Pool, Params), InstanceError> {
    // Anything but an object (null, a list, a number) is not an instance, whatever serde would make of it.
    if !text.trim_start().starts_with('{') {
        return Err(InstanceError::NotAnObject);
    }
    let version: VersionOnly = serde_json::from_str(text)?;
    match version.format_version {
        None => return Err(InstanceError::MissingVersion),
        Some(v) if v.as_u64() == Some(u64::from(FORMAT_VERSION)) => {}
        Some(found) => return Err(InstanceError::UnsupportedVersion { found }),
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let inst: InstanceOwned = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| InstanceError::Field { path: e.path().to_string(), source: e.into_inner() })?;
    de.end()?;
    inst.params.validate()?;
    let pool = Pool { experts: inst.experts, needs: inst.needs, continuity: inst.continuity };
    pool.validate()?;
    Ok((pool, inst.params))
}

/// Reads an instance file.
pub fn read(path: &Path) -> Result<(Pool, Params), InstanceError> {
    let io = |source| InstanceError::Io { path: path.display().to_string(), source };
    let mut text = String::new();
    BufReader::new(File::open(path).map_err(io)?).read_to_string(&mut text).map_err(io)?;
    from_str(&text)
}

/// Writes an instance as JSON (compact, or indented when `pretty`).
pub fn write_to<W: Write>(out: W, pool: &Pool, params: &Params, pretty: bool) -> Result<(), serde_json::Error> {
    let inst = InstanceRef {
        format_version: FORMAT_VERSION,
        params,
        experts: &pool.experts,
        needs: &pool.needs,
        continuity: &pool.continuity,
    };
    if pretty { serde_json::to_writer_pretty(out, &inst) } else { serde_json::to_writer(out, &inst) }
}

/// Writes an instance file.
pub fn write(path: &Path, pool: &Pool, params: &Params, pretty: bool) -> anyhow::Result<()> {
    use anyhow::Context;
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write_to(&mut out, pool, params, pretty)?;
    out.flush()?;
    Ok(())
}

/// The instance as a JSON string.
pub fn to_string(pool: &Pool, params: &Params, pretty: bool) -> String {
    let mut buf = Vec::new();
    write_to(&mut buf, pool, params, pretty).expect("writing JSON to memory cannot fail");
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}
