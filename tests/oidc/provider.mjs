// A real OpenID Connect provider (the `oidc-provider` package) for the login tests
// (crates/citygov/tests/oidc.rs): one confidential client using the authorization code flow
// with PKCE (S256), and test users whose claims the tests map to citygov accounts. Its
// development login and consent pages accept any login name; the claims come from USERS.
//
//   PORT=… REDIRECT_URIS=uri1,uri2 node provider.mjs
//
// Prints "ready <issuer>" on standard output once it listens on 127.0.0.1.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.REDIRECT_URIS || '').split(',').filter(Boolean);

// Test users: the login name is the subject.
const USERS = {
  'cong-dan-1': {
    name: 'Nguyễn Thị Hoa',
    preferred_username: 'hoa.nguyen',
    cccd: process.env.CITIZEN_CCCD || '001190012345',
  },
  'can-bo-1': {
    name: 'Trần Văn Bình',
    preferred_username: 'binh.tran',
    groups: (process.env.OFFICIAL_GROUPS || '').split(',').filter(Boolean),
  },
  'khong-vai-tro': {
    name: 'Lê Văn Cường',
    preferred_username: 'cuong.le',
    groups: ['staff'],
  },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID || 'citygov',
    client_secret: process.env.CLIENT_SECRET || 'citygov-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { methods: ['S256'], required: () => true },
  scopes: ['openid', 'profile', 'cccd', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    cccd: ['cccd'],
    groups: ['groups'],
  },
  cookies: { keys: ['citygov-oidc-test-cookie-key'] },
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
