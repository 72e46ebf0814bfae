//! Replays the fuzz targets' committed seeds and regressions (`fuzz/seeds/<target>/`,
//! `fuzz/regressions/<target>/`) through the same checks as the fuzz targets, on a stable
//! toolchain, so that every input that once broke a property stays fixed.

#[path = "../../../fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

#[test]
fn committed_fuzz_inputs_keep_their_properties() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut replayed = 0;
    for (target, check) in checks::TARGETS {
        let mut seeds = 0;
        for folder in ["seeds", "regressions"] {
            let dir = fuzz.join(folder).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            for file in files {
                let data = std::fs::read(&file).unwrap();
                let outcome = std::panic::catch_unwind(|| check(&data));
                assert!(outcome.is_ok(), "{} breaks a property of {target}", file.display());
                if folder == "seeds" {
                    seeds += 1;
                }
                replayed += 1;
            }
        }
        assert!(seeds > 0, "no seeds for the fuzz target {target}");
    }
    assert!(replayed >= checks::TARGETS.len());
}

#[test]
fn every_fuzz_target_has_a_binary() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    for (target, _) in checks::TARGETS {
        let source = std::fs::read_to_string(fuzz.join("fuzz_targets").join(format!("{target}.rs"))).unwrap();
        assert!(source.contains(&format!("citygov_fuzz::{target}(data)")), "{target}");
        assert!(manifest.contains(&format!("name = \"{target}\"")), "{target}");
    }
}
