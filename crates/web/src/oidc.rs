//! OpenID Connect relying party: the authorization code flow with PKCE (S256) against any
//! standard provider (Keycloak, the national e-ID), configured by issuer and client.
//!
//! The provider's metadata comes from its discovery document and is cached; its signing
//! keys (JWKS) are fetched again when an ID token names a key not seen yet (key rotation).
//! An ID token is accepted only with a valid signature (RSA, RSA-PSS, ECDSA P-256/P-384 or
//! Ed25519; never `none` or a shared-secret algorithm), the configured issuer, this client
//! in its audience, an unexpired lifetime and the nonce of the login that asked for it.
//! Signatures are checked with `ring`, already part of the build through rustls.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use citygov_domain::workflow::Role;
use citygov_store::oidc::IdentityKind;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::RwLock;

/// One provider, as configured.
#[derive(Debug, Clone)]
pub struct ProviderSettings {
    /// Short id used in URLs (`/login/oidc/{id}`) and stored with linked identities.
    pub id: String,
    pub label_vi: String,
    pub label_en: String,
    /// The issuer URL; its discovery document is `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// Empty for a public client (PKCE only).
    pub client_secret: String,
    pub scopes: Vec<String>,
    pub kind: IdentityKind,
    /// Logins through this provider count as authenticated with VNeID.
    pub vneid: bool,
    pub username_claim: String,
    pub name_claim: String,
    /// The claim with the citizen identity number (CCCD); empty: none.
    pub id_number_claim: String,
    /// The claim holding an official's groups or roles (a string or a list of strings).
    /// Values `unit:{unit code}:{role}` grant that role in that unit; others are looked up in
    /// `role_map`.
    pub roles_claim: String,
    pub role_map: Vec<RoleRule>,
}

/// A claim value that grants a role (in a unit, by its code; empty for roles not tied to
/// a unit).
#[derive(Debug, Clone)]
pub struct RoleRule {
    pub value: String,
    pub role: Role,
    pub unit_code: String,
}

impl ProviderSettings {
    /// Roles (with unit codes) that the claims grant.
    pub fn roles_from(&self, claims: &Map<String, Value>) -> Vec<(Role, String)> {
        let mut out = Vec::new();
        if self.roles_claim.is_empty() {
            return out;
        }
        let values: Vec<String> = match claim(claims, &self.roles_claim) {
            Some(Value::String(s)) => s
                .split([' ', ','])
                .filter(|v| !v.is_empty())
                .map(String::from)
                .collect(),
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
            _ => Vec::new(),
        };
        for v in values {
            if let Some(rest) = v.strip_prefix("unit:")
                && let Some((unit, role)) = rest.rsplit_once(':')
                && let Some(role) = Role::parse(role)
            {
                out.push((role, unit.to_string()));
            }
            for r in self.role_map.iter().filter(|r| r.value == v) {
                out.push((r.role, r.unit_code.clone()));
            }
        }
        out
    }
}

/// A claim by name; a dotted name (`realm_access.roles`) reaches into nested objects.
pub fn claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(name) {
        return Some(v);
    }
    let mut parts = name.split('.');
    let mut v = claims.get(parts.next()?)?;
    for p in parts {
        v = v.get(p)?;
    }
    Some(v)
}

/// A claim as text (strings, and numbers as written).
pub fn claim_text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    match claim(claims, name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Why a login through a provider failed. Details are logged; people see a bilingual page.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider cannot be reached or answers something unusable (502).
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The provider's answer does not pass the checks (signature, issuer, audience, nonce…):
    /// the login is refused (400).
    #[error("invalid response: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    #[serde(default)]
    userinfo_endpoint: Option<String>,
    jwks_uri: String,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
struct Jwk {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    crv: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
    #[serde(default)]
    x: Option<String>,
    #[serde(default)]
    y: Option<String>,
}

#[derive(Debug, Deserialize)]
struct JwkSet {
    keys: Vec<Jwk>,
}

#[derive(Default)]
struct Cached {
    metadata: Option<Metadata>,
    keys: Vec<Jwk>,
}

/// The providers with their cached metadata and keys, and the HTTP client that talks to
/// them (https with the system's root certificates).
pub struct Oidc {
    pub providers: Vec<ProviderSettings>,
    http: reqwest::Client,
    cache: HashMap<String, RwLock<Cached>>,
}

/// What the browser keeps between the start and the end of a login (in a short-lived
/// cookie): the provider, the state, the nonce, the PKCE verifier and where to go next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub provider: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    /// Unix seconds when the login started.
    pub started: i64,
    pub next: String,
}

/// How long a started login may take, in seconds.
pub const LOGIN_WINDOW_SECONDS: i64 = 600;

impl PendingLogin {
    pub fn new(provider: &str, next: &str, now: i64) -> Self {
        PendingLogin {
            provider: provider.to_string(),
            state: random_token(),
            nonce: random_token(),
            verifier: random_token(),
            started: now,
            next: next.to_string(),
        }
    }

    /// The cookie value: fields joined by `.` (each is URL-safe base64 or digits).
    pub fn encode(&self) -> String {
        format!(
            "{}.{}.{}.{}.{}.{}",
            B64.encode(&self.provider),
            self.state,
            self.nonce,
            self.verifier,
            self.started,
            B64.encode(&self.next)
        )
    }

    pub fn decode(s: &str) -> Option<Self> {
        let p: Vec<&str> = s.split('.').collect();
        let [provider, state, nonce, verifier, started, next] = p.as_slice() else {
            return None;
        };
        let text = |v: &str| B64.decode(v).ok().and_then(|b| String::from_utf8(b).ok());
        Some(PendingLogin {
            provider: text(provider)?,
            state: state.to_string(),
            nonce: nonce.to_string(),
            verifier: verifier.to_string(),
            started: started.parse().ok()?,
            next: text(next)?,
        })
    }

    /// The PKCE challenge (S256) of the verifier.
    pub fn challenge(&self) -> String {
        B64.encode(Sha256::digest(self.verifier.as_bytes()))
    }
}

/// 32 random bytes, URL-safe base64 (43 characters: also a valid PKCE verifier).
fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    B64.encode(b)
}

impl Oidc {
    pub fn new(providers: Vec<ProviderSettings>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        let cache = providers
            .iter()
            .map(|p| (p.id.clone(), RwLock::new(Cached::default())))
            .collect();
        Oidc { providers, http, cache }
    }

    pub fn provider(&self, id: &str) -> Option<&ProviderSettings> {
        self.providers.iter().find(|p| p.id == id)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let r = self
            .http
            .get(url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))?;
        if !r.status().is_success() {
            return Err(OidcError::Unavailable(format!("{url}: status {}", r.status())));
        }
        r.json()
            .await
            .map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))
    }

    /// The provider's metadata, from its discovery document (fetched once).
    async fn metadata(&self, p: &ProviderSettings) -> Result<Metadata, OidcError> {
        let cell = &self.cache[&p.id];
        if let Some(m) = &cell.read().await.metadata {
            return Ok(m.clone());
        }
        let url = format!("{}/.well-known/openid-configuration", p.issuer.trim_end_matches('/'));
        let m: Metadata = self.get_json(&url).await?;
        if m.issuer != p.issuer {
            return Err(OidcError::Invalid(format!(
                "discovery names issuer {} instead of {}",
                m.issuer, p.issuer
            )));
        }
        cell.write().await.metadata = Some(m.clone());
        Ok(m)
    }

    /// Where to send the browser to log in.
    pub async fn authorization_url(
        &self,
        p: &ProviderSettings,
        pending: &PendingLogin,
        redirect_uri: &str,
    ) -> Result<String, OidcError> {
        let m = self.metadata(p).await?;
        let mut url = reqwest::Url::parse(&m.authorization_endpoint)
            .map_err(|e| OidcError::Unavailable(format!("authorization endpoint: {e}")))?;
        let mut scopes = p.scopes.clone();
        if !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".into());
        }
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &p.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &pending.state)
            .append_pair("nonce", &pending.nonce)
            .append_pair("code_challenge", &pending.challenge())
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Complete a login: exchange the code (with the PKCE verifier), check the ID token and
    /// return the claims (those of the ID token, completed by the userinfo endpoint's).
    pub async fn complete(
        &self,
        p: &ProviderSettings,
        pending: &PendingLogin,
        code: &str,
        redirect_uri: &str,
        now_unix: i64,
    ) -> Result<Map<String, Value>, OidcError> {
        let m = self.metadata(p).await?;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", pending.verifier.as_str()),
        ];
        let mut req = self.http.post(&m.token_endpoint).header("accept", "application/json");
        let basic = m
            .token_endpoint_auth_methods_supported
            .as_ref()
            .is_none_or(|v| v.iter().any(|a| a == "client_secret_basic"));
        if p.client_secret.is_empty() {
            form.push(("client_id", p.client_id.as_str()));
        } else if basic {
            let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let cred = base64::engine::general_purpose::STANDARD.encode(format!(
                "{}:{}",
                enc(&p.client_id),
                enc(&p.client_secret)
            ));
            req = req.header("authorization", format!("Basic {cred}"));
        } else {
            form.push(("client_id", p.client_id.as_str()));
            form.push(("client_secret", p.client_secret.as_str()));
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let r = req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| OidcError::Unavailable(format!("token endpoint: {e}")))?;
        let status = r.status();
        let tokens: Value = r
            .json()
            .await
            .map_err(|e| OidcError::Unavailable(format!("token endpoint: {e}")))?;
        if !status.is_success() {
            return Err(OidcError::Invalid(format!("token endpoint: {status} {tokens}")));
        }
        let id_token = tokens
            .get("id_token")
            .and_then(Value::as_str)
            .ok_or_else(|| OidcError::Invalid("no id_token in the token response".into()))?;
        let mut claims = self.verify_id_token(p, &m, id_token, now_unix).await?;
        match claims.get("nonce").and_then(Value::as_str) {
            Some(n) if citygov_store::second_factor::same_code(n, &pending.nonce) => {}
            _ => return Err(OidcError::Invalid("nonce does not match".into())),
        }
        if let (Some(url), Some(access)) = (
            m.userinfo_endpoint.as_deref(),
            tokens.get("access_token").and_then(Value::as_str),
        ) {
            let r = self
                .http
                .get(url)
                .bearer_auth(access)
                .header("accept", "application/json")
                .send()
                .await
                .map_err(|e| OidcError::Unavailable(format!("userinfo: {e}")))?;
            // Signed (JWT) userinfo answers are not used: the ID token's claims stand alone.
            let json = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            if r.status().is_success() && json {
                let info: Map<String, Value> = r
                    .json()
                    .await
                    .map_err(|e| OidcError::Unavailable(format!("userinfo: {e}")))?;
                if info.get("sub") != claims.get("sub") {
                    return Err(OidcError::Invalid("userinfo is about another subject".into()));
                }
                for (k, v) in info {
                    claims.entry(k).or_insert(v);
                }
            }
        }
        Ok(claims)
    }

    async fn verify_id_token(
        &self,
        p: &ProviderSettings,
        m: &Metadata,
        token: &str,
        now_unix: i64,
    ) -> Result<Map<String, Value>, OidcError> {
        let bad = |s: &str| OidcError::Invalid(format!("id_token: {s}"));
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad("not a signed JWT"));
        };
        let header: Map<String, Value> = B64
            .decode(h)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| bad("unreadable header"))?;
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
        let kid = header.get("kid").and_then(Value::as_str);
        let sig = B64.decode(s).map_err(|_| bad("unreadable signature"))?;
        let signed = &token.as_bytes()[..h.len() + 1 + c.len()];
        let mut verified = self.check_signature(p, m, alg, kid, signed, &sig, false).await?;
        if !verified {
            // An unknown key: the provider may have rotated its keys.
            verified = self.check_signature(p, m, alg, kid, signed, &sig, true).await?;
        }
        if !verified {
            return Err(bad("signature does not verify"));
        }
        let claims: Map<String, Value> = B64
            .decode(c)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| bad("unreadable claims"))?;
        if claims.get("iss").and_then(Value::as_str) != Some(p.issuer.as_str()) {
            return Err(bad("wrong issuer"));
        }
        let aud: Vec<&str> = match claims.get("aud") {
            Some(Value::String(a)) => vec![a.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !aud.contains(&p.client_id.as_str()) {
            return Err(bad("not issued to this client"));
        }
        if aud.len() > 1 && claims.get("azp").and_then(Value::as_str) != Some(p.client_id.as_str()) {
            return Err(bad("authorized party is another client"));
        }
        const LEEWAY: i64 = 60;
        let exp = claims
            .get("exp")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("no expiry"))?;
        if exp + LEEWAY < now_unix {
            return Err(bad("expired"));
        }
        let iat = claims
            .get("iat")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("no issue time"))?;
        if iat - LEEWAY > now_unix {
            return Err(bad("issued in the future"));
        }
        if claims.get("sub").and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(bad("no subject"));
        }
        Ok(claims)
    }

    /// Whether a key of the provider (refetched first when `refresh`) verifies the signature.
    async fn check_signature(
        &self,
        p: &ProviderSettings,
        m: &Metadata,
        alg: &str,
        kid: Option<&str>,
        signed: &[u8],
        sig: &[u8],
        refresh: bool,
    ) -> Result<bool, OidcError> {
        use ring::signature as rs;
        let cell = &self.cache[&p.id];
        if refresh || cell.read().await.keys.is_empty() {
            let set: JwkSet = self.get_json(&m.jwks_uri).await?;
            cell.write().await.keys = set.keys;
        }
        let keys = cell.read().await.keys.clone();
        let candidates = keys
            .iter()
            .filter(|k| k.use_.as_deref().is_none_or(|u| u == "sig"))
            .filter(|k| kid.is_none() || k.kid.as_deref() == kid);
        let d = |v: &Option<String>| v.as_deref().and_then(|v| B64.decode(v).ok());
        for k in candidates {
            let ok = match (alg, k.kty.as_str()) {
                ("RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512", "RSA") => {
                    let (Some(n), Some(e)) = (d(&k.n), d(&k.e)) else {
                        continue;
                    };
                    let params: &rs::RsaParameters = match alg {
                        "RS256" => &rs::RSA_PKCS1_2048_8192_SHA256,
                        "RS384" => &rs::RSA_PKCS1_2048_8192_SHA384,
                        "RS512" => &rs::RSA_PKCS1_2048_8192_SHA512,
                        "PS256" => &rs::RSA_PSS_2048_8192_SHA256,
                        "PS384" => &rs::RSA_PSS_2048_8192_SHA384,
                        _ => &rs::RSA_PSS_2048_8192_SHA512,
                    };
                    rs::RsaPublicKeyComponents { n, e }.verify(params, signed, sig).is_ok()
                }
                ("ES256" | "ES384", "EC") => {
                    let (Some(x), Some(y)) = (d(&k.x), d(&k.y)) else {
                        continue;
                    };
                    let (algorithm, crv): (&rs::EcdsaVerificationAlgorithm, &str) = if alg == "ES256" {
                        (&rs::ECDSA_P256_SHA256_FIXED, "P-256")
                    } else {
                        (&rs::ECDSA_P384_SHA384_FIXED, "P-384")
                    };
                    if k.crv.as_deref() != Some(crv) {
                        continue;
                    }
                    let mut point = vec![4u8];
                    point.extend(x);
                    point.extend(y);
                    rs::UnparsedPublicKey::new(algorithm, point).verify(signed, sig).is_ok()
                }
                ("EdDSA", "OKP") if k.crv.as_deref() == Some("Ed25519") => {
                    let Some(x) = d(&k.x) else { continue };
                    rs::UnparsedPublicKey::new(&rs::ED25519, x).verify(signed, sig).is_ok()
                }
                _ => false,
            };
            if ok {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Shared by every request.
pub type SharedOidc = Arc<Oidc>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_login_survives_its_cookie() {
        let p = PendingLogin::new("vneid", "/my?x=1.2", 1_700_000_000);
        assert_eq!(PendingLogin::decode(&p.encode()), Some(p.clone()));
        assert_eq!(p.verifier.len(), 43);
        assert!(PendingLogin::decode("a.b.c").is_none());
    }

    #[test]
    fn the_pkce_challenge_is_s256_of_the_verifier() {
        // RFC 7636, appendix B.
        let mut p = PendingLogin::new("x", "/", 0);
        p.verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into();
        assert_eq!(p.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn roles_come_from_unit_values_and_the_role_table() {
        let p = ProviderSettings {
            id: "kc".into(),
            label_vi: String::new(),
            label_en: String::new(),
            issuer: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            scopes: vec![],
            kind: IdentityKind::Official,
            vneid: false,
            username_claim: "preferred_username".into(),
            name_claim: "name".into(),
            id_number_claim: String::new(),
            roles_claim: "realm_access.roles".into(),
            role_map: vec![RoleRule {
                value: "lanh-dao".into(),
                role: Role::UnitLeader,
                unit_code: "H31.01".into(),
            }],
        };
        let claims = serde_json::json!({
            "realm_access": { "roles": ["unit:H31.01.01:intake_officer", "lanh-dao", "unit:H31:nonsense", "other"] }
        });
        let roles = p.roles_from(claims.as_object().unwrap());
        assert_eq!(
            roles,
            vec![
                (Role::IntakeOfficer, "H31.01.01".to_string()),
                (Role::UnitLeader, "H31.01".to_string())
            ]
        );
    }
}
