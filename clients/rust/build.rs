//! Generates the gRPC client code from every `.proto` file under `../../protos` (the gateway's
//! API). Nothing generated is committed: new protos (new services, new messages) show up in the
//! crate at the next build without any change here. protoc comes from the `protoc-bin-vendored`
//! crate, so no system protoc is needed.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let proto_root = manifest_dir.join("../../protos").canonicalize()?;

    let mut protos = Vec::new();
    collect_protos(&proto_root, &mut protos)?;
    protos.sort();
    if protos.is_empty() {
        return Err(format!("no .proto files under {}", proto_root.display()).into());
    }

    // A directory is scanned recursively by cargo: adding, removing or editing a proto reruns this.
    println!("cargo:rerun-if-changed={}", proto_root.display());
    println!("cargo:rerun-if-changed=build.rs");

    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // SAFETY: build scripts are single-threaded; nothing else reads the environment concurrently.
    unsafe { std::env::set_var("PROTOC", protoc) };
    let well_known = protoc_bin_vendored::include_path()?;

    tonic_prost_build::configure()
        .build_server(false)
        .build_client(true)
        // One file with a module per protobuf package (`langgraph_gateway::v1`, ...), whatever
        // packages the protos declare.
        .include_file("protos.rs")
        .compile_protos(&protos, &[proto_root, well_known])?;
    Ok(())
}

fn collect_protos(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_protos(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "proto") {
            out.push(path);
        }
    }
    Ok(())
}
