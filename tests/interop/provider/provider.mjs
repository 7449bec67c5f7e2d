// A certified OpenID provider (npm oidc-provider 8) configured like eSignet, for the interop tests.
//
// private_key_jwt only for the eSignet-like client, PKCE S256 required, the claims parameter,
// signed userinfo (application/jwt, PS256), mosip acr values, pairwise subjects, and the
// library's own dev interaction pages (any login/password), which the tests drive headlessly.
// Three Keycloak-like clients (JSON userinfo, public subjects) show a plain OIDC provider working
// with configuration alone: client_secret_basic, client_secret_post and private_key_jwt.
// The dev login reports the authentication method the client asked for as the session's acr
// (the first of its acr_values this provider knows), as eSignet does, so the ID token's acr
// claim can be checked.
//
// Input (environment): PORTAL_JWK (the portal's public JWK), REDIRECT_URI, POST_LOGOUT_URI,
// PEOPLE_FILE (infra/local/sample_people.json), PLAIN_CLIENT_SECRET; optional EXTRA_CLIENTS, a JSON
// list of client metadata added as they are (what `python -m infra.esignet_client --format oidc` prints).
// Output: one JSON line on stdout, {"issuer": ...}, once it listens on 127.0.0.1 (any free port).
// It exits when its stdin closes, so it never outlives the test run that started it.

import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const portalJwk = JSON.parse(process.env.PORTAL_JWK);
const redirectUri = process.env.REDIRECT_URI;
const postLogoutUri = process.env.POST_LOGOUT_URI;
const people = JSON.parse(readFileSync(process.env.PEOPLE_FILE, 'utf8')).people;
const salt = createHash('sha256').update(String(Math.random())).digest('hex');
const acrValues = ['mosip:idp:acr:generated-code', 'mosip:idp:acr:static-code', 'mosip:idp:acr:biometrics', 'mosip:idp:acr:linked-wallet'];

function signingKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig' };
}

function claimsOf(person) {
  return {
    name: person.name,
    gender: person.gender,
    birthdate: person.birthdate,
    email: person.email,
    phone_number: person.phone_number,
    phone_number_verified: true,
    address: person.address,
    individual_id: person.individual_id,
  };
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'ssp-portal-esignet',
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [portalJwk] },
        id_token_signed_response_alg: 'PS256',
        userinfo_signed_response_alg: 'PS256',
        subject_type: 'pairwise',
      },
      {
        client_id: 'ssp-portal-plain',
        client_secret: process.env.PLAIN_CLIENT_SECRET,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
      {
        client_id: 'ssp-portal-plain-post',
        client_secret: process.env.PLAIN_CLIENT_SECRET,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
      },
      {
        client_id: 'ssp-portal-plain-pkjwt',
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [portalJwk] },
        id_token_signed_response_alg: 'RS256',
      },
      ...JSON.parse(process.env.EXTRA_CLIENTS || '[]'),
    ],
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic', 'client_secret_post'],
    jwks: { keys: [signingKey('interop-1')] },
    cookies: { keys: ['interop-tests-only'] },
    pkce: { required: () => true, methods: ['S256'] },
    features: {
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: true },
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (ctx, accountId, client) => createHash('sha256').update(`${client.sectorIdentifier}|${accountId}|${salt}`).digest('hex'),
    acrValues,
    claims: {
      openid: ['sub'],
      profile: ['name', 'gender', 'birthdate', 'individual_id'],
      email: ['email'],
      phone: ['phone_number', 'phone_number_verified'],
      address: ['address'],
    },
    async findAccount(ctx, id) {
      const person = people.find((p) => p.individual_id === id);
      if (!person) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...claimsOf(person) }; } };
    },
  });
  // The dev interactions finish a login with an accountId only; add the acr the client asked for.
  const interactionResult = provider.interactionResult.bind(provider);
  provider.interactionResult = async (req, res, result, options) => {
    if (result.login && !result.login.acr) {
      const { params } = await provider.interactionDetails(req, res);
      const acr = String(params.acr_values || '').split(' ').find((value) => acrValues.includes(value));
      if (acr) result = { ...result, login: { ...result.login, acr } };
    }
    return interactionResult(req, res, result, options);
  };
  provider.proxy = false;
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
