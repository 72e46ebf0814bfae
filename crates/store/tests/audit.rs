//! The tamper-evident audit trail: every test runs on SQLite and on a real PostgreSQL server
//! (`CITYGOV_TEST_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/postgres).
//!
//! Tampering is done the way someone with direct database access would do it: the append-only
//! triggers are dropped (SQLite) or disabled (PostgreSQL), rows are changed with plain SQL, and
//! nothing is re-signed.

use chrono::NaiveDate;
use citygov_domain::LocalTime;
use citygov_domain::catalog::Level;
use citygov_domain::codes::{AgencyCode, ApplicantType};
use citygov_domain::dossier::{Applicant, Channel, Dossier, HistoryEntry, Routing, Status};
use citygov_domain::unit::{Unit, UnitKind, UnitVersion};
use citygov_store::audit::{
    AuditExport, AuditSigner, ChainEntry, Checkpoint, FindingKind, GENESIS_HASH, TrustedKeys, VerifyReport, entry_hash,
};
use citygov_store::{AuditRecord, Backend, Error, Store, StoreOptions};
use sqlx::Row;
use std::future::Future;

mod common;
use common::{pg_admin, procedure};

/// Run a test body on a fresh SQLite store and on a fresh PostgreSQL database; the body gets
/// the store's URL too, to open it again.
async fn on_both<F, Fut>(f: F)
where
    F: Fn(Store, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let sqlite = Store::open(&StoreOptions::new(url.clone())).await.unwrap();
    f(sqlite.clone(), url).await;
    sqlite.close().await;
    let admin = pg_admin();
    let url = citygov_store::create_scratch_database(&admin, "citygov_test")
        .await
        .expect("PostgreSQL must be running for store tests");
    let pg = Store::open(&StoreOptions::new(url.clone())).await.unwrap();
    f(pg.clone(), url.clone()).await;
    pg.close().await;
    citygov_store::drop_scratch_database(&admin, &url).await.unwrap();
}

fn t(s: &str) -> LocalTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn record(i: usize) -> AuditRecord {
    AuditRecord {
        actor_id: Some(format!("acc-{}", i % 3)),
        actor_name: "Trần Thị Bình".into(),
        action: if i.is_multiple_of(2) {
            "dossier.viewed"
        } else {
            "dossier.changed"
        }
        .into(),
        entity_type: "dossier".into(),
        entity_id: format!("d-{i}"),
        detail: serde_json::json!({ "i": i, "purpose": "xử lý hồ sơ", "note": "ghi chú \"có\" dấu" }),
    }
}

/// Write `n` entries, one transaction each, numbered from `from`.
async fn write(s: &Store, from: usize, n: usize) {
    for i in from..from + n {
        s.audit(&record(i), t("2026-03-02T08:00") + chrono::Duration::minutes(i as i64))
            .await
            .unwrap();
    }
}

fn signer(seed: u8) -> AuditSigner {
    AuditSigner::from_seed([seed; 32])
}

fn trusting(signers: &[&AuditSigner]) -> TrustedKeys {
    let mut k = TrustedKeys::new();
    for s in signers {
        k.add(s.verifying_key());
    }
    k
}

async fn exec(s: &Store, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(s.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// What an attacker with database access does first: switch the append-only guards off.
async fn unguard(s: &Store) {
    match s.backend() {
        Backend::Sqlite => {
            for t in [
                "audit_log_no_update",
                "audit_log_no_delete",
                "audit_checkpoints_no_update",
                "audit_checkpoints_no_delete",
            ] {
                exec(s, &format!("DROP TRIGGER {t}")).await;
            }
        }
        Backend::Postgres => {
            exec(s, "ALTER TABLE audit_log DISABLE TRIGGER USER").await;
            exec(s, "ALTER TABLE audit_checkpoints DISABLE TRIGGER USER").await;
        }
    }
}

async fn id_of(s: &Store, seq: i64) -> i64 {
    sqlx::query("SELECT id FROM audit_log WHERE seq = $1")
        .bind(seq)
        .fetch_one(s.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

async fn entry(s: &Store, seq: i64) -> ChainEntry {
    let r = sqlx::query(
        "SELECT seq, at, actor_id, actor_name, action, entity_type, entity_id, detail, prev_hash, hash FROM audit_log WHERE seq = $1",
    )
    .bind(seq)
    .fetch_one(s.pool())
    .await
    .unwrap();
    ChainEntry {
        seq: r.try_get("seq").unwrap(),
        at: r.try_get("at").unwrap(),
        actor_id: r.try_get("actor_id").unwrap(),
        actor_name: r.try_get("actor_name").unwrap(),
        action: r.try_get("action").unwrap(),
        entity_type: r.try_get("entity_type").unwrap(),
        entity_id: r.try_get("entity_id").unwrap(),
        detail: r.try_get("detail").unwrap(),
        prev_hash: r.try_get("prev_hash").unwrap(),
        hash: r.try_get("hash").unwrap(),
    }
}

/// The first finding of a failed verification.
fn first(r: &VerifyReport) -> &citygov_store::audit::Finding {
    assert!(!r.ok, "verification should fail: {r:#?}");
    r.findings.first().expect("a failed report names a finding")
}

/// Recompute the hashes of every entry from `from_seq` to the end, and move the head: what an
/// attacker does to hide a change from the hash chain alone.
async fn rechain_from(s: &Store, from_seq: i64) {
    let (head, _) = s.audit_head().await.unwrap();
    let mut prev = if from_seq == 1 {
        GENESIS_HASH.to_string()
    } else {
        entry(s, from_seq - 1).await.hash
    };
    for seq in from_seq..=head {
        let e = entry(s, seq).await;
        let hash = entry_hash(
            seq,
            &e.at,
            e.actor_id.as_deref(),
            &e.actor_name,
            &e.action,
            &e.entity_type,
            &e.entity_id,
            &e.detail,
            &prev,
        );
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(prev.clone())
            .bind(hash.clone())
            .bind(seq)
            .execute(s.pool())
            .await
            .unwrap();
        prev = hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(prev)
        .execute(s.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_clean_chain_verifies_with_its_checkpoints() {
    on_both(|s, url| async move {
        let key = signer(1);
        let trusted = trusting(&[&key]);
        let empty = s.verify_audit(&trusted).await.unwrap();
        assert!(empty.ok && empty.entries == 0, "{empty:#?}");
        write(&s, 0, 12).await;
        let c1 = s
            .write_audit_checkpoint(&key, &trusted, t("2026-03-02T09:00"))
            .await
            .unwrap();
        assert_eq!(c1.seq, 12);
        write(&s, 12, 5).await;
        let r = s.verify_audit(&trusted).await.unwrap();
        assert!(r.ok, "{r:#?}");
        assert_eq!((r.entries, r.first_seq, r.last_seq), (17, Some(1), Some(17)));
        assert_eq!((r.checkpoints, r.checkpoints_verified, r.covered_to), (1, 1, Some(12)));
        assert_eq!(r.uncovered_entries, 5, "entries after the last checkpoint are counted");
        let (head, head_hash) = s.audit_head().await.unwrap();
        assert_eq!(head, 17);
        assert_eq!(Some(head_hash), r.last_hash);
        // Nothing new since the last checkpoint: the periodic job signs nothing.
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T10:00"))
            .await
            .unwrap();
        assert!(
            s.audit_checkpoint_if_moved(&key, &trusted, t("2026-03-02T10:10"))
                .await
                .unwrap()
                .is_none()
        );
        write(&s, 17, 1).await;
        let c = s
            .audit_checkpoint_if_moved(&key, &trusted, t("2026-03-02T10:20"))
            .await
            .unwrap()
            .expect("the chain grew");
        assert_eq!(c.seq, 18);
        // Another process opening the database keeps the chain as it is.
        let again = Store::open(&StoreOptions::new(url)).await.unwrap();
        let r = again.verify_audit(&trusted).await.unwrap();
        assert!(
            r.ok && r.uncovered_entries == 0 && r.checkpoints_verified == 3,
            "{r:#?}"
        );
        again.close().await;
    })
    .await;
}

#[tokio::test]
async fn an_altered_entry_is_named() {
    on_both(|s, _| async move {
        let key = signer(2);
        let trusted = trusting(&[&key]);
        write(&s, 0, 10).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T09:00"))
            .await
            .unwrap();
        write(&s, 10, 3).await;
        unguard(&s).await;
        exec(&s, "UPDATE audit_log SET actor_name = 'Người khác' WHERE seq = 7").await;
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!(f.kind, FindingKind::EntryAltered);
        assert_eq!(f.seq, Some(7));
        assert_eq!(f.id, Some(id_of(&s, 7).await));
        assert!(
            f.message_vi.contains("Mục số 7") && f.message_en.contains("seq 7"),
            "{f:?}"
        );
        exec(&s, "UPDATE audit_log SET actor_name = 'Trần Thị Bình' WHERE seq = 7").await;
        assert!(
            s.verify_audit(&trusted).await.unwrap().ok,
            "undoing the change heals the chain"
        );

        // A checkpoint is never signed over a break after the last one.
        exec(&s, "UPDATE audit_log SET at = '2026-03-02T07:00:00' WHERE seq = 11").await;
        let refused = s
            .write_audit_checkpoint(&key, &trusted, t("2026-03-02T10:00"))
            .await
            .unwrap_err();
        assert!(
            matches!(refused, Error::Conflict(ref p) if p.message_en.contains("seq 11")),
            "{refused:?}"
        );
        exec(&s, "UPDATE audit_log SET at = '2026-03-02T08:10:00' WHERE seq = 11").await;
        assert!(s.verify_audit(&trusted).await.unwrap().ok);

        // The last entry, which no later entry links to: its own hash names it.
        exec(&s, "UPDATE audit_log SET detail = '{}' WHERE seq = 13").await;
        let f = first(&s.verify_audit(&trusted).await.unwrap()).clone();
        assert_eq!((f.kind, f.seq), (FindingKind::EntryAltered, Some(13)));
    })
    .await;
}

#[tokio::test]
async fn a_deleted_entry_is_named() {
    on_both(|s, _| async move {
        let key = signer(3);
        let trusted = trusting(&[&key]);
        write(&s, 0, 10).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T09:00"))
            .await
            .unwrap();
        unguard(&s).await;
        exec(&s, "DELETE FROM audit_log WHERE seq = 4").await;
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!((f.kind, f.seq), (FindingKind::EntryRemoved, Some(4)), "{r:#?}");
        assert!(f.message_en.contains("seq 4") && f.message_vi.contains("số 4"), "{f:?}");

        // The first entry, and the later ones renumbered to close the gap.
        exec(&s, "DELETE FROM audit_log WHERE seq = 1").await;
        exec(&s, "UPDATE audit_log SET seq = -seq WHERE seq > 1").await;
        exec(&s, "UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0 AND seq > -4").await;
        exec(&s, "UPDATE audit_log SET seq = -seq - 2 WHERE seq < 0").await;
        let seqs: Vec<i64> = sqlx::query("SELECT seq FROM audit_log ORDER BY seq")
            .fetch_all(s.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("seq").unwrap())
            .collect();
        assert_eq!(seqs, (1..=8).collect::<Vec<_>>(), "contiguous again");
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!((f.kind, f.seq), (FindingKind::EntryRemoved, Some(1)), "{r:#?}");
    })
    .await;
}

#[tokio::test]
async fn deleting_the_last_entries_is_named_by_the_head_and_the_checkpoint() {
    on_both(|s, _| async move {
        let key = signer(4);
        let trusted = trusting(&[&key]);
        write(&s, 0, 10).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T09:00"))
            .await
            .unwrap();
        unguard(&s).await;
        exec(&s, "DELETE FROM audit_log WHERE seq >= 9").await;
        let f = first(&s.verify_audit(&trusted).await.unwrap()).clone();
        assert_eq!((f.kind, f.seq), (FindingKind::EntryRemoved, Some(9)));
        // The head moved back too: the signed checkpoint still knows the chain reached 10.
        let h = entry(&s, 8).await.hash;
        sqlx::query("UPDATE audit_head SET seq = 8, hash = $1 WHERE id = 1")
            .bind(h)
            .execute(s.pool())
            .await
            .unwrap();
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!((f.kind, f.seq), (FindingKind::EntryRemoved, Some(9)), "{r:#?}");
        assert!(f.message_en.contains("9–10"), "{f:?}");
    })
    .await;
}

#[tokio::test]
async fn an_inserted_entry_is_named() {
    on_both(|s, _| async move {
        let key = signer(5);
        let trusted = trusting(&[&key]);
        write(&s, 0, 10).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T09:00"))
            .await
            .unwrap();
        unguard(&s).await;

        // A row written straight into the table, outside the chain.
        let id: i64 = sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, detail) \
             VALUES ('2026-03-02T08:03:30', NULL, 'system', 'dossier.viewed', 'dossier', 'd-x', '{}') RETURNING id",
        )
        .fetch_one(s.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!((f.kind, f.id), (FindingKind::EntryInserted, Some(id)), "{r:#?}");
        assert!(f.message_en.contains(&format!("id {id}")), "{f:?}");
        sqlx::query("DELETE FROM audit_log WHERE id = $1")
            .bind(id)
            .execute(s.pool())
            .await
            .unwrap();
        assert!(s.verify_audit(&trusted).await.unwrap().ok);

        // A forged entry slipped in at seq 5 with a correct hash, the later ones renumbered.
        exec(&s, "UPDATE audit_log SET seq = -seq WHERE seq >= 5").await;
        exec(&s, "UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0").await;
        let before = entry(&s, 4).await;
        let at = "2026-03-02T08:04:30";
        let detail = r#"{"i":99}"#;
        let hash = entry_hash(
            5,
            at,
            None,
            "Kẻ giả mạo",
            "dossier.viewed",
            "dossier",
            "d-99",
            detail,
            &before.hash,
        );
        let forged: i64 = sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, detail, seq, prev_hash, hash) \
             VALUES ($1, NULL, 'Kẻ giả mạo', 'dossier.viewed', 'dossier', 'd-99', $2, 5, $3, $4) RETURNING id",
        )
        .bind(at)
        .bind(detail)
        .bind(before.hash.clone())
        .bind(hash)
        .fetch_one(s.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!(
            (f.kind, f.seq, f.id),
            (FindingKind::EntryInserted, Some(5), Some(forged)),
            "{r:#?}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_entry_appended_past_the_head_is_named() {
    on_both(|s, _| async move {
        let key = signer(6);
        let trusted = trusting(&[&key]);
        write(&s, 0, 6).await;
        let last = entry(&s, 6).await;
        let at = "2026-03-02T09:00:00";
        let hash = entry_hash(7, at, None, "system", "auth.login", "account", "a-1", "{}", &last.hash);
        let id: i64 = sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, detail, seq, prev_hash, hash) \
             VALUES ($1, NULL, 'system', 'auth.login', 'account', 'a-1', '{}', 7, $2, $3) RETURNING id",
        )
        .bind(at)
        .bind(last.hash)
        .bind(hash)
        .fetch_one(s.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!((f.kind, f.seq), (FindingKind::EntryInserted, Some(7)), "{r:#?}");
        assert!(id > 0);
    })
    .await;
}

#[tokio::test]
async fn recomputed_hashes_are_caught_by_the_signed_checkpoint() {
    on_both(|s, _| async move {
        let key = signer(7);
        let trusted = trusting(&[&key]);
        write(&s, 0, 10).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T09:00"))
            .await
            .unwrap();
        write(&s, 10, 10).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T10:00"))
            .await
            .unwrap();
        write(&s, 20, 3).await;
        unguard(&s).await;
        exec(&s, "UPDATE audit_log SET detail = '{\"i\":0}' WHERE seq = 15").await;
        rechain_from(&s, 15).await;
        let r = s.verify_audit(&trusted).await.unwrap();
        let f = first(&r);
        assert_eq!(
            (f.kind, f.seq),
            (FindingKind::CheckpointHashMismatch, Some(20)),
            "{r:#?}"
        );
        assert!(f.checkpoint_id.is_some());
        // The checkpoint at 10 still verifies, so the change lies in 11–20.
        assert!(f.message_en.contains("seq 11–20"), "{f:?}");
        assert_eq!(r.checkpoints_verified, 1);
        assert_eq!(r.findings.len(), 1, "the chain itself is consistent again: {r:#?}");
        // Nor does the next checkpoint bless the recomputed chain.
        assert!(matches!(
            s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T11:00")).await,
            Err(Error::Conflict(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn checkpoints_signed_by_an_untrusted_key_or_forged_are_reported() {
    on_both(|s, _| async move {
        let old = signer(8);
        let new = signer(9);
        let stranger = signer(10);
        write(&s, 0, 4).await;
        s.write_audit_checkpoint(&old, &trusting(&[&old]), t("2026-03-02T09:00"))
            .await
            .unwrap();
        write(&s, 4, 4).await;
        // Rotation: the new key signs from now on; the old one stays trusted.
        s.write_audit_checkpoint(&new, &trusting(&[&old, &new]), t("2026-03-02T10:00"))
            .await
            .unwrap();
        let r = s.verify_audit(&trusting(&[&old, &new])).await.unwrap();
        assert!(r.ok && r.checkpoints_verified == 2, "{r:#?}");
        // Forgetting the old key shows which checkpoint it signed.
        let r = s.verify_audit(&trusting(&[&new])).await.unwrap();
        let f = first(&r);
        assert_eq!(
            (f.kind, f.seq),
            (FindingKind::CheckpointUntrustedKey, Some(4)),
            "{r:#?}"
        );
        assert!(f.message_en.contains(old.key_id()), "{f:?}");

        // A checkpoint by a key nobody trusts, written straight into the table.
        let c = stranger.sign(8, &entry(&s, 8).await.hash, "2026-03-02T10:30:00");
        insert_checkpoint(&s, &c).await;
        let r = s.verify_audit(&trusting(&[&old, &new])).await.unwrap();
        let f = first(&r);
        assert_eq!(f.kind, FindingKind::CheckpointUntrustedKey, "{r:#?}");
        assert_eq!(f.checkpoint_id, Some(3));
        // A trusted key id with a signature that does not verify.
        let mut forged = new.sign(8, &entry(&s, 8).await.hash, "2026-03-02T10:40:00");
        forged.hash = entry(&s, 7).await.hash;
        forged.seq = 7;
        insert_checkpoint(&s, &forged).await;
        let r = s.verify_audit(&trusting(&[&old, &new, &stranger])).await.unwrap();
        let f = first(&r);
        assert_eq!(
            (f.kind, f.checkpoint_id),
            (FindingKind::CheckpointBadSignature, Some(4)),
            "{r:#?}"
        );
        // Signing builds on the last trusted checkpoint, not on the stranger's.
        s.write_audit_checkpoint(&new, &trusting(&[&old, &new]), t("2026-03-02T11:00"))
            .await
            .unwrap();
    })
    .await;
}

async fn insert_checkpoint(s: &Store, c: &Checkpoint) {
    sqlx::query(
        "INSERT INTO audit_checkpoints (seq, hash, at, key_id, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(c.seq)
    .bind(c.hash.clone())
    .bind(c.at.clone())
    .bind(c.key_id.clone())
    .bind(c.public_key.clone())
    .bind(c.signature.clone())
    .execute(s.pool())
    .await
    .unwrap();
}

async fn export(s: &Store, from: i64, to: i64, trusted: &TrustedKeys) -> String {
    let mut out = Vec::new();
    s.export_audit(from, to, trusted, t("2026-03-03T08:00"), &mut out)
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn an_export_verifies_without_the_database_and_a_tampered_export_fails() {
    on_both(|s, _| async move {
        let key = signer(11);
        let trusted = trusting(&[&key]);
        write(&s, 0, 20).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T09:00"))
            .await
            .unwrap();
        write(&s, 20, 10).await;
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T10:00"))
            .await
            .unwrap();
        write(&s, 30, 2).await;

        let text = export(&s, 8, 14, &trusted).await;
        let doc = AuditExport::parse(&text).unwrap();
        assert_eq!(
            (doc.entries.len(), doc.proof_entries.len()),
            (7, 6),
            "up to the checkpoint at 20"
        );
        assert_eq!(doc.checkpoints.len(), 1);
        let r = doc.verify(Some(&trusted));
        assert!(r.ok, "{r:#?}");
        let r = doc.verify(None);
        assert!(r.ok && r.keys_from_file, "{r:#?}");
        // Another verifier who does not trust the key that signed.
        let f = first(&doc.verify(Some(&trusting(&[&signer(12)])))).clone();
        assert_eq!(f.kind, FindingKind::CheckpointUntrustedKey);
        // The whole chain, from seq 1, ending exactly at a checkpoint.
        let whole = AuditExport::parse(&export(&s, 1, 30, &trusted).await).unwrap();
        assert!(whole.verify(Some(&trusted)).ok);
        assert!(whole.proof_entries.is_empty() && whole.checkpoints.len() == 2);

        // An entry of the range changed in the file.
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["entries"][3]["actor_name"] = "Người khác".into();
        let bad = AuditExport::parse(&v.to_string()).unwrap();
        let r = bad.verify(Some(&trusted));
        let f = first(&r);
        assert_eq!((f.kind, f.seq), (FindingKind::EntryAltered, Some(11)), "{r:#?}");
        // An entry dropped from the file.
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["entries"].as_array_mut().unwrap().remove(2);
        let r = AuditExport::parse(&v.to_string()).unwrap().verify(Some(&trusted));
        let f = first(&r);
        assert_eq!((f.kind, f.seq), (FindingKind::EntryRemoved, Some(10)), "{r:#?}");
        // Hashes recomputed in the file: the signed checkpoint no longer matches.
        let mut doc2 = AuditExport::parse(&text).unwrap();
        doc2.entries[0].detail = "{}".into();
        let mut prev = doc2.prev_hash.clone();
        for e in doc2.entries.iter_mut().chain(doc2.proof_entries.iter_mut()) {
            e.prev_hash = prev.clone();
            e.hash = e.computed_hash();
            prev = e.hash.clone();
        }
        let r = doc2.verify(Some(&trusted));
        let f = first(&r);
        assert_eq!(f.kind, FindingKind::CheckpointHashMismatch, "{r:#?}");
        // The proof cut off before the checkpoint: nothing binds the range to a signature.
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["proof_entries"].as_array_mut().unwrap().truncate(2);
        let r = AuditExport::parse(&v.to_string()).unwrap().verify(Some(&trusted));
        assert!(
            r.findings.iter().any(|f| f.kind == FindingKind::RangeNotCovered),
            "{r:#?}"
        );
        assert!(!r.ok);
        // A file that is not an export is refused with where it is wrong.
        let e = AuditExport::parse("{\"format\": 1").unwrap_err();
        assert!(e.message_en.contains("line 1"), "{e}");

        // A range no checkpoint covers yet cannot be exported.
        let mut out = Vec::new();
        let e = s
            .export_audit(25, 32, &trusted, t("2026-03-03T08:00"), &mut out)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e:?}");
        let e = s
            .export_audit(5, 4, &trusted, t("2026-03-03T08:00"), &mut out)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    })
    .await;
}

#[tokio::test]
async fn entries_written_before_the_chain_are_chained_when_the_store_opens() {
    on_both(|s, url| async move {
        write(&s, 0, 7).await;
        // As a database migrated from before the chain: no seq, no hashes, no head.
        unguard(&s).await;
        exec(&s, "UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL").await;
        exec(&s, "DELETE FROM audit_head").await;
        let again = Store::open(&StoreOptions::new(url.clone())).await.unwrap();
        let r = again.verify_audit(&TrustedKeys::new()).await.unwrap();
        assert!(r.ok && r.last_seq == Some(7), "{r:#?}");
        let ids: Vec<i64> = sqlx::query("SELECT id FROM audit_log ORDER BY seq")
            .fetch_all(again.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("id").unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "chained in id order");
        again.close().await;

        // The head deleted while chained entries exist: put back, and the repair recorded.
        exec(&s, "DELETE FROM audit_head").await;
        let again = Store::open(&StoreOptions::new(url)).await.unwrap();
        let r = again.verify_audit(&TrustedKeys::new()).await.unwrap();
        assert!(r.ok && r.last_seq == Some(8), "{r:#?}");
        assert_eq!(entry(&again, 8).await.action, "audit.head_restored");
        again.close().await;
    })
    .await;
}

fn dossier(i: usize) -> Dossier {
    let routing = Routing {
        receiving_unit_id: "w1".into(),
        receiving_unit_code: "H31.01.01".into(),
        receiving_unit_name: "Phường Thủy Nguyên".into(),
        competent_unit_id: "w1".into(),
        competent_unit_code: "H31.01.01".into(),
    };
    let applicant = Applicant {
        kind: ApplicantType::Citizen,
        full_name: "Nguyễn Văn An".into(),
        id_number: "031090001234".into(),
        phone: None,
        email: None,
        address: None,
    };
    let mut d = Dossier::submitted(
        format!("load-{i}"),
        "1.000001",
        "Thủ tục đăng ký khai sinh",
        routing,
        Channel::Online,
        applicant,
        t("2026-03-02T08:00"),
    );
    d.code = format!("H31.01.01-260302-{i:05}");
    d
}

fn history(at: LocalTime) -> HistoryEntry {
    HistoryEntry {
        at,
        action: "file".into(),
        event: "dossier.filed".into(),
        from_status: None,
        to_status: Status::Submitted,
        actor_id: None,
        actor_name: "demo".into(),
        actor_title: "Công dân".into(),
        unit_code: None,
        content: "Nộp trực tuyến".into(),
        step_deadline: None,
    }
}

async fn seed(s: &Store) {
    let units = [
        (
            "city",
            "000.00.00.H31",
            "UBND thành phố Hải Phòng",
            UnitKind::City,
            None,
        ),
        ("w1", "H31.01.01", "Phường Thủy Nguyên", UnitKind::Ward, Some("city")),
    ]
    .map(|(id, code, name, kind, parent)| Unit {
        id: id.into(),
        code: AgencyCode::parse(code).unwrap(),
        name: name.into(),
        short_name: None,
        kind,
        parent_id: parent.map(Into::into),
        valid_from: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        valid_to: None,
    });
    let versions: Vec<UnitVersion> = units
        .iter()
        .map(|u| UnitVersion {
            unit_id: u.id.clone(),
            code: u.code.clone(),
            name: u.name.clone(),
            valid_from: u.valid_from,
            valid_to: None,
        })
        .collect();
    s.save_units(&units, &versions, &[]).await.unwrap();
    let p = procedure("1.000001", Level::Commune, None);
    s.import_procedures(&[p], t("2026-01-05T08:00")).await.unwrap();
}

#[tokio::test]
async fn a_bulk_load_is_chained_in_one_pass() {
    on_both(|s, _| async move {
        seed(&s).await;
        let (before, _) = s.audit_head().await.unwrap();
        let batch: Vec<(Dossier, Vec<HistoryEntry>)> = (0..2500)
            .map(|i| {
                let d = dossier(i);
                let h = history(d.submitted_at);
                (d, vec![h])
            })
            .collect();
        let started = std::time::Instant::now();
        s.load_dossiers(&batch, &[], "demo").await.unwrap();
        let took = started.elapsed();
        let (after, _) = s.audit_head().await.unwrap();
        assert_eq!(after - before, 2500, "one chained entry per loaded dossier");
        let r = s.verify_audit(&TrustedKeys::new()).await.unwrap();
        assert!(r.ok && r.last_seq == Some(after), "{r:#?}");
        assert!(took.as_secs() < 30, "loading 2500 dossiers took {took:?}");
    })
    .await;
}

#[tokio::test]
async fn concurrent_writers_make_one_contiguous_chain() {
    // Two stores on one database behave like two `citygov serve` processes; each writes from
    // many tasks at once, single entries and bulk loads mixed.
    on_both(|s, url| async move {
        seed(&s).await;
        let other = Store::open(&StoreOptions::new(url)).await.unwrap();
        let (before, _) = s.audit_head().await.unwrap();
        let mut tasks = Vec::new();
        for task in 0..24usize {
            let st = if task.is_multiple_of(2) {
                s.clone()
            } else {
                other.clone()
            };
            tasks.push(tokio::spawn(async move {
                for k in 0..20usize {
                    let i = task * 1000 + k;
                    if k % 5 == 4 {
                        let batch: Vec<(Dossier, Vec<HistoryEntry>)> = (0..3)
                            .map(|j| {
                                let d = dossier(i * 10 + j);
                                let h = history(d.submitted_at);
                                (d, vec![h])
                            })
                            .collect();
                        st.load_dossiers(&batch, &[], "loader").await.unwrap();
                    } else {
                        st.audit(&record(i), t("2026-03-02T08:00")).await.unwrap();
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        // 24 tasks × (16 single entries + 4 loads of 3).
        let expected = 24 * (16 + 4 * 3);
        let (head, _) = s.audit_head().await.unwrap();
        assert_eq!(head - before, expected);
        let seqs: Vec<i64> = sqlx::query("SELECT seq FROM audit_log ORDER BY seq")
            .fetch_all(s.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("seq").unwrap())
            .collect();
        assert_eq!(seqs, (1..=head).collect::<Vec<_>>(), "contiguous, no gap, no duplicate");
        let key = signer(13);
        let trusted = trusting(&[&key]);
        s.write_audit_checkpoint(&key, &trusted, t("2026-03-02T12:00"))
            .await
            .unwrap();
        let r = other.verify_audit(&trusted).await.unwrap();
        assert!(r.ok && r.last_seq == Some(head) && r.covered_to == Some(head), "{r:#?}");
        other.close().await;
    })
    .await;
}

/// The audit trail is read page by page, newest or oldest first, with filters, and a page
/// never shifts when entries are written after it was read.
#[tokio::test]
async fn the_trail_is_read_in_filtered_keyset_pages() {
    use citygov_store::audit::{ActorFilter, AuditQuery};
    on_both(|s, _| async move {
        write(&s, 0, 10).await;
        let (head, _) = s.audit_head().await.unwrap();
        assert_eq!(head, 10);
        let q = |limit: i64| AuditQuery {
            limit,
            ..Default::default()
        };
        // Newest first, four at a time.
        let p1 = s.audit_page(&q(4)).await.unwrap();
        assert_eq!(p1.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [10, 9, 8, 7]);
        assert_eq!(p1.next_after, Some(7));
        // An entry written now does not shift the next page.
        s.audit(
            &AuditRecord {
                actor_id: None,
                actor_name: "anonymous".into(),
                action: "dossier.read".into(),
                entity_type: "dossier".into(),
                entity_id: "d-x".into(),
                detail: serde_json::json!({}),
            },
            t("2026-03-02T09:00"),
        )
        .await
        .unwrap();
        let p2 = s
            .audit_page(&AuditQuery {
                after: p1.next_after,
                ..q(4)
            })
            .await
            .unwrap();
        assert_eq!(p2.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [6, 5, 4, 3]);
        let p3 = s
            .audit_page(&AuditQuery {
                after: p2.next_after,
                ..q(4)
            })
            .await
            .unwrap();
        assert_eq!(p3.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(p3.next_after, None, "the last page");
        // Oldest first.
        let o1 = s
            .audit_page(&AuditQuery {
                oldest_first: true,
                ..q(6)
            })
            .await
            .unwrap();
        assert_eq!(o1.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
        let o2 = s
            .audit_page(&AuditQuery {
                oldest_first: true,
                after: o1.next_after,
                ..q(6)
            })
            .await
            .unwrap();
        assert_eq!(o2.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [7, 8, 9, 10, 11]);
        assert_eq!(o2.next_after, None);
        // Every entry comes with its own hash, as chained.
        for e in o1.entries.iter().chain(&o2.entries) {
            assert_eq!(e.hash, e.computed_hash(), "seq {}", e.seq);
        }
        // Filters.
        let by_actor = s
            .audit_page(&AuditQuery {
                actor: Some(ActorFilter::Account("acc-1".into())),
                ..q(100)
            })
            .await
            .unwrap();
        assert_eq!(
            by_actor
                .entries
                .iter()
                .map(|e| e.entity_id.as_str())
                .collect::<Vec<_>>(),
            ["d-7", "d-4", "d-1"]
        );
        let anonymous = s
            .audit_page(&AuditQuery {
                actor: Some(ActorFilter::Anonymous),
                ..q(100)
            })
            .await
            .unwrap();
        assert_eq!(anonymous.entries.len(), 1);
        assert_eq!(anonymous.entries[0].action, "dossier.read");
        let one = s
            .audit_page(&AuditQuery {
                entity_type: Some("dossier".into()),
                entity_id: Some("d-4".into()),
                action: Some("dossier.viewed".into()),
                ..q(100)
            })
            .await
            .unwrap();
        assert_eq!(one.entries.len(), 1);
        assert_eq!(one.entries[0].seq, 5);
        let none = s
            .audit_page(&AuditQuery {
                entity_id: Some("d-4".into()),
                action: Some("dossier.changed".into()),
                ..q(100)
            })
            .await
            .unwrap();
        assert!(none.entries.is_empty());
        let window = s
            .audit_page(&AuditQuery {
                from: Some(t("2026-03-02T08:03")),
                to: Some(t("2026-03-02T08:06")),
                oldest_first: true,
                ..q(100)
            })
            .await
            .unwrap();
        assert_eq!(
            window.entries.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>(),
            ["d-3", "d-4", "d-5"]
        );
        // A page size out of range is refused and says which parameter.
        for bad in [0, 501] {
            match s.audit_page(&q(bad)).await {
                Err(Error::Invalid(ps)) => assert_eq!(ps[0].field.as_deref(), Some("limit")),
                other => panic!("limit {bad}: {other:?}"),
            }
        }
    })
    .await;
}
