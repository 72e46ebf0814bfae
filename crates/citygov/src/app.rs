//! Building and serving the application: what `main` and the tests share.

use crate::config::Config;
use axum::serve::ListenerExt;
use citygov_store::files::UploadPolicy;
use citygov_store::{LocalFileStore, Store, StoreOptions};
use citygov_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;

/// Open the store (running migrations) for a configuration.
pub async fn open_store(cfg: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&cfg.data_dir)?;
    let mut opts = StoreOptions::new(cfg.database_url());
    opts.max_connections = cfg.max_connections;
    opts.sqlite_synchronous = cfg.sqlite_synchronous.clone();
    opts.keys = crate::keys_cli::key_source(cfg)?;
    Ok(Store::open(&opts).await?)
}

/// Open the warehouse of a configuration, sealing its personal columns with the store's keys.
pub fn open_lake(cfg: &Config, store: &Store) -> anyhow::Result<citygov_lake::Lake> {
    let lake = citygov_lake::Lake::open(&cfg.lake_options()?)?;
    lake.set_cipher(Arc::new(store.clone()));
    Ok(lake)
}

/// The file storage of a configuration (`files/` in the data folder).
pub fn file_store(cfg: &Config) -> anyhow::Result<Arc<dyn citygov_store::FileStore>> {
    Ok(Arc::new(LocalFileStore::new(cfg.data_dir.join("files"))?))
}

/// The application state for a configuration.
pub async fn build_state(cfg: &Config) -> anyhow::Result<AppState> {
    let store = open_store(cfg).await?;
    let files = file_store(cfg)?;
    let web = WebConfig {
        code_format: cfg.code_format(),
        upload: UploadPolicy {
            max_bytes: cfg.max_upload_mb * 1024 * 1024,
        },
        due_soon_working_hours: cfg.due_soon_working_hours,
        untouched_working_days: cfg.untouched_working_days,
        session_ttl_hours: cfg.session_ttl_hours,
        session_idle_minutes: cfg.session_idle_minutes,
        public_url: cfg.public_url.clone(),
        oidc_providers: cfg.oidc_settings()?,
        login_limit_failures: cfg.login_limit_failures,
        login_limit_minutes: cfg.login_limit_minutes.max(1),
        trusted_proxies: cfg.trusted_proxies()?,
        ..WebConfig::default()
    };
    let lake = open_lake(cfg, &store)?;
    Ok(AppState::new(store, files, cfg.calendar()?, web).with_lake(lake))
}

/// Until Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    ctrl_c.await.ok();
}

/// Serve until Ctrl-C / SIGTERM, over HTTPS when `tls` is given ([`crate::tls`]). Returns the
/// bound address through `on_bound`; `on_stop` runs once the server has stopped, before the
/// store closes (the last audit checkpoint).
pub async fn serve(
    state: AppState,
    listen: &str,
    tls: Option<std::sync::Arc<tokio_rustls::rustls::ServerConfig>>,
    on_bound: impl FnOnce(std::net::SocketAddr),
    on_stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e} / không mở được cổng"))?;
    on_bound(listener.local_addr()?);
    let store = state.store.clone();
    let app = citygov_web::router(state);
    match tls {
        Some(config) => {
            // Every request came over TLS: HSTS and Secure cookies (`transport_security`).
            let app = app.layer(axum::Extension(citygov_web::routes::DirectTls));
            // axum gives the peer address (`ConnectInfo`, for the login limit) of any listener
            // wrapped by `tap_io`, and of no other but its own TCP listener: a tap that does
            // nothing.
            let tls = crate::tls::TlsListener::new(listener, config)?.tap_io(|_| {});
            axum::serve(tls, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(shutdown_signal())
                .await?
        }
        None => {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(shutdown_signal())
                .await?
        }
    }
    on_stop.await;
    store.close().await;
    Ok(())
}
