// cvgen view counter, Cognito guest mode: a guest identity from the identity pool (GetId),
// its token (GetOpenIdToken) exchanged for the guest role's credentials (STS
// AssumeRoleWithWebIdentity: the basic flow, because the enhanced flow's guest credentials
// may not call execute-api), then `POST data-api` signed with SigV4 (WebCrypto). No SDK.
// Settings come from the script tag's data-* attributes; data-aws-endpoint replaces the
// Cognito Identity and STS URLs and is meant for tests and local development only.
// Any failure, or an answer that is not JSON, leaves the counter hidden.
(async (d) => {
  const o = d.currentScript.dataset;
  // Opened from disk or a plain local server: the real pool and API would refuse this
  // origin, so stay quiet (tests point data-aws-endpoint at a local stand-in).
  if (location.protocol == "file:" || (/^(localhost|127\.|\[::1\]$)/.test(location.hostname) && !o.awsEndpoint && !("local" in o))) return;
  // pool ids start with their region
  const region = o.region || o.identityPool.split(":")[0];
  const aws = (s) => o.awsEndpoint || `https://${s}.${region}.amazonaws.com/`;
  const idKey = "cvgen.id." + o.identityPool, credKey = "cvgen.cred." + o.identityPool, mem = {};
  const load = (k) => {
    try { return localStorage.getItem(k); } catch { return mem[k]; }
  };
  const save = (k, v) => {
    mem[k] = v;
    try { v == null ? localStorage.removeItem(k) : localStorage.setItem(k, v); } catch {}
  };
  const utf8 = (s) => new TextEncoder().encode(s);
  const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
  const sha = async (s) => hex(await crypto.subtle.digest("SHA-256", utf8(s)));
  const hmac = async (key, s) =>
    crypto.subtle.sign("HMAC", await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]), utf8(s));
  // RFC 3986 encoding, as SigV4 wants it
  const esc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  const cognito = async (op, body) => {
    const r = await fetch(aws("cognito-identity"), {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityService." + op },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw Error(op);
    return r.json();
  };

  // New guest credentials; the identity id is kept for the next ones.
  const fresh = async () => {
    let id = load(idKey), t;
    for (let again = !id; ; again = true) {
      if (again) save(idKey, (id = (await cognito("GetId", { IdentityPoolId: o.identityPool })).IdentityId));
      try {
        t = (await cognito("GetOpenIdToken", { IdentityId: id })).Token;
        break;
      } catch (e) {
        // a kept identity may have been deleted with its pool: start over once
        save(idKey, null);
        if (again) throw e;
      }
    }
    const r = await fetch(aws("sts"), {
      method: "POST",
      body: new URLSearchParams({ Action: "AssumeRoleWithWebIdentity", Version: "2011-06-15", RoleArn: o.role, RoleSessionName: "cvgen-guest", WebIdentityToken: t }),
    });
    const x = await r.text(), c = {};
    for (const k of ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]) c[k] = (x.match(`<${k}>([^<]+)<`) || [])[1];
    if (!r.ok || !c.SessionToken) throw Error("sts");
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
    let key = utf8("AWS4" + c.SecretAccessKey);
    for (const part of [day, region, "execute-api", "aws4_request"]) key = await hmac(key, part);
    const signature = hex(await hmac(key, ["AWS4-HMAC-SHA256", now, scope, await sha(canonical)].join("\n")));
    // the browser sends the host itself
    delete headers.host;
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${c.AccessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
    return fetch(url, { method: "POST", headers, body });
  };

  // Cached credentials are used until a minute before they expire; if the API refuses them
  // (revoked, or from a replaced stack), fresh ones get one more try.
  let c;
  try { c = JSON.parse(load(credKey)); } catch {}
  const cached = c && Date.parse(c.Expiration) - Date.now() > 6e4;
  let r = await send(cached ? c : await fresh());
  if (r.status == 403 && cached) r = await send(await fresh());
  const views = r.ok && /json/.test(r.headers.get("content-type")) && (await r.json()).views;
  if (!Number.isInteger(views)) return;
  d.querySelector("[data-counter-value]").textContent = views.toLocaleString(d.documentElement.lang || undefined);
  d.querySelector("[data-counter]").hidden = false;
})(document).catch(() => {});
