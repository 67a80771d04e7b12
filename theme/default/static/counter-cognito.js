// cvgen view counter, Cognito guest mode: takes guest credentials from the identity pool
// (GetId, GetCredentialsForIdentity), signs `POST data-api` with SigV4 (WebCrypto) and shows
// the count. No SDK. Settings come from the script tag's data-* attributes; data-cognito-endpoint
// replaces the Cognito Identity URL and is meant for tests and local development only.
// Any failure leaves the counter hidden.
(async (d) => {
  const o = d.currentScript.dataset;
  // Opened from disk or a plain local server: the real pool and API would refuse this
  // origin, so stay quiet (tests point data-cognito-endpoint at a local stand-in).
  if (location.protocol == "file:" || (/^(localhost|127\.|\[::1\]$)/.test(location.hostname) && !o.cognitoEndpoint && !("local" in o))) return;
  const region = o.region || o.identityPool.split(":")[0]; // pool ids start with their region
  const cognitoUrl = o.cognitoEndpoint || `https://cognito-identity.${region}.amazonaws.com/`;
  const idKey = "cvgen.id." + o.identityPool;
  const credKey = "cvgen.cred." + o.identityPool;
  const mem = {};
  const load = (k) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return mem[k];
    }
  };
  const save = (k, v) => {
    mem[k] = v;
    try {
      v == null ? localStorage.removeItem(k) : localStorage.setItem(k, v);
    } catch {}
  };
  const utf8 = (s) => new TextEncoder().encode(s);
  const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
  const sha = async (s) => hex(await crypto.subtle.digest("SHA-256", utf8(s)));
  const hmac = async (key, s) =>
    crypto.subtle.sign(
      "HMAC",
      await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
      ]),
      utf8(s),
    );
  // RFC 3986 encoding, as SigV4 wants it
  const esc = (s) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  const cognito = async (op, body) => {
    const r = await fetch(cognitoUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityService." + op,
      },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw Error(op + " " + r.status);
    return r.json();
  };
  const expiry = (c) => (typeof c.Expiration == "number" ? c.Expiration * 1e3 : Date.parse(c.Expiration));

  // New guest credentials; the identity id is kept for the next ones.
  const fresh = async () => {
    let id = load(idKey), c;
    for (let again = !id; ; again = true) {
      if (again) save(idKey, (id = (await cognito("GetId", { IdentityPoolId: o.identityPool })).IdentityId));
      try {
        c = (await cognito("GetCredentialsForIdentity", { IdentityId: id })).Credentials;
        break;
      } catch (e) {
        // a kept identity may have been deleted with its pool: start over once
        save(idKey, null);
        if (again) throw e;
      }
    }
    save(credKey, JSON.stringify(c));
    return c;
  };

  const url = new URL(o.api, location.href);
  const body = JSON.stringify({ page: o.page || "/" });
  // `POST data-api` signed with SigV4 for execute-api
  const send = async (c) => {
    const now = new Date().toISOString().replace(/[-:]|\.\d+/g, "");
    const day = now.slice(0, 8);
    const scope = `${day}/${region}/execute-api/aws4_request`;
    const headers = {
      "content-type": "application/json",
      host: url.host,
      "x-amz-date": now,
      "x-amz-security-token": c.SessionToken,
    };
    const names = Object.keys(headers).sort();
    const query = [...url.searchParams]
      .map((p) => p.map(esc))
      .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y))
      .map((p) => p.join("="))
      .join("&");
    const canonical = [
      "POST",
      url.pathname.split("/").map(esc).join("/"),
      query,
      names.map((k) => `${k}:${headers[k]}\n`).join(""),
      names.join(";"),
      await sha(body),
    ].join("\n");
    let key = utf8("AWS4" + c.SecretKey);
    for (const part of [day, region, "execute-api", "aws4_request"]) key = await hmac(key, part);
    const signature = hex(await hmac(key, ["AWS4-HMAC-SHA256", now, scope, await sha(canonical)].join("\n")));
    delete headers.host; // the browser sends it
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${c.AccessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
    return fetch(url, { method: "POST", headers, body });
  };

  // Cached credentials are used until a minute before they expire; if the API refuses them
  // (revoked, or from a replaced stack), fresh ones get one more try.
  let c;
  try {
    c = JSON.parse(load(credKey));
  } catch {}
  const cached = c && expiry(c) - Date.now() > 6e4;
  let r = await send(cached ? c : await fresh());
  if (r.status == 403 && cached) r = await send(await fresh());
  const views = r.ok && (await r.json()).views;
  if (!Number.isInteger(views)) return;
  d.querySelector("[data-counter-value]").textContent = views.toLocaleString(d.documentElement.lang || undefined);
  d.querySelector("[data-counter]").hidden = false;
})(document).catch(() => {});
