// The console signs every API call with credentials it keeps per endpoint, in the browser's
// storage under `ota-console.credentials` (JSON: endpoint URL → credentials). The benchmarks
// sign in as the access key `cargo xtask bench` made for them, passed in the environment as
// Alibaba's SDKs read it (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET), before
// any page of a browser context runs.

const STORAGE_KEY = 'ota-console.credentials';

export async function signIn(context, origin) {
  const id = process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!id || !secret) throw new Error('set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  // The console served by the server talks to its own origin: the endpoint is the origin's root.
  const kept = JSON.stringify({ [`${origin}/`]: { Kind: 'AccessKey', AccessKeyId: id, AccessKeySecret: secret } });
  await context.addInitScript(
    ([key, value]) => {
      try {
        localStorage.setItem(key, value);
      } catch {
        // A page without storage (about:blank) has nothing to sign.
      }
    },
    [STORAGE_KEY, kept],
  );
}
