//! Embeds the sample repository (for `goalpost demo`) and the site's default templates in
//! the binary, as sorted lists of (path, bytes).

use std::fmt::Write as _;
use std::path::Path;

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
}

fn embed(name: &str, folder: &str, file: &str) {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join(folder);
    println!("cargo:rerun-if-changed={folder}");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut code = String::new();
    writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").unwrap();
    for f in files {
        writeln!(
            code,
            "    ({f:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{folder}/{f}\"))),"
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join(file), code).expect("write embedded files");
}

fn main() {
    embed("SAMPLE_FILES", "sample-repo", "sample.rs");
    embed("SITE_TEMPLATES", "templates/site", "site_templates.rs");
}
