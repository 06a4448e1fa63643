/**
 * The browser UI's page (core.md §9.7): the Role drop-down with Refresh Now, the active profile, the Advanced form
 * and the three dialogs (MFA code, username and password, Save As name). Self-contained: the style and script are
 * this server's /site.css and /site.js (upstream loaded w3.css from the internet; the page must work offline and
 * under a CSP that allows only its own origin), and there is no inline script, style or event handler.
 * Element ids are stable: the script and the tests rely on them.
 */

/** The page with this server's CSRF token (and, for `serve ecs`, the credentials path) in meta tags for site.js. */
export function renderIndexHtml(o: { csrfToken: string; ecsPath?: string }): string {
  const ecsMeta =
    o.ecsPath === undefined ? "" : `\n<meta name="ecs-path" content="${escapeHtml(o.ecsPath)}">`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(o.csrfToken)}">${ecsMeta}
<title>aws-runas Metadata Credential Service</title>
<link rel="icon" type="image/png" href="/favicon.ico">
<link rel="stylesheet" href="/site.css">
</head>
<body>
<main class="card">
  <div id="alert" class="alert" role="alert" hidden>
    <button type="button" id="alert-close" class="close" title="Close" aria-label="Close">&times;</button>
    <strong id="alert-type"></strong>
    <span id="alert-text"></span>
  </div>

  <h1>AWS Metadata Credential Service</h1>

  <form id="role-form" class="role-row">
    <label for="role" title="Profile name of the role to use">Role</label>
    <select id="role" name="role" title="Profile name of the role to use">
      <option value="">-- Select Role --</option>
    </select>
    <button type="button" id="refresh" class="button danger"
            title="Drop the cached credentials and sign in again now (may ask for an MFA code or a password)">Refresh Now</button>
  </form>

  <section id="active" class="active" aria-live="polite">
    <p id="active-none">No profile is active yet: choose a role above.</p>
    <dl id="active-details" hidden>
      <dt>Profile</dt><dd id="active-profile"></dd>
      <dt>Type</dt><dd id="active-type"></dd>
      <dt>Role ARN</dt><dd id="active-role-arn"></dd>
    </dl>
  </section>

  <button type="button" id="advanced-toggle" class="accordion" aria-expanded="false" aria-controls="advanced"
          title="Advanced configuration options">Advanced</button>
  <form id="advanced" class="advanced" hidden>
    <div class="field">
      <label for="adv-type" title="Type of role to configure">Type</label>
      <select id="adv-type" name="adv-type" title="Type of role to configure">
        <option value="iam">IAM</option>
        <option value="saml">SAML</option>
        <option value="oidc">Web Identity (OIDC)</option>
      </select>
    </div>
    <div class="field">
      <label for="role-arn" title="ARN of the target role">Role ARN</label>
      <input type="text" id="role-arn" name="role-arn" placeholder="arn:aws:iam::012345678901:role/Dev"
             title="ARN of the target role" autocomplete="off">
    </div>
    <div class="field" id="source-profile-block">
      <label for="source-profile" title="Profile with the credentials and settings the IAM role is assumed from">Source Profile</label>
      <select id="source-profile" name="source-profile"
              title="Profile with the credentials and settings the IAM role is assumed from">
        <option value="default">default</option>
      </select>
    </div>
    <div class="field" id="external-id-block">
      <label for="external-id" title="Optional External ID for the IAM role">External ID</label>
      <input type="text" id="external-id" name="external-id" title="Optional External ID for the IAM role" autocomplete="off">
    </div>
    <div class="field" id="auth-url-block" hidden>
      <label for="auth-url" title="URL of the identity provider">Auth URL</label>
      <input type="url" id="auth-url" name="auth-url" title="URL of the identity provider" autocomplete="off">
    </div>
    <div class="field" id="adv-username-block" hidden>
      <label for="adv-username" title="Username at the identity provider">Username</label>
      <input type="text" id="adv-username" name="username" title="Username at the identity provider" autocomplete="username">
    </div>
    <div class="field" id="adv-password-block" hidden>
      <label for="adv-password" title="Password at the identity provider">Password</label>
      <input type="password" id="adv-password" name="password" title="Password at the identity provider"
             autocomplete="current-password">
    </div>
    <div class="field" id="jump-role-block" hidden>
      <label for="jump-role" title="Optional ARN of a role to assume before the target role">Jump Role</label>
      <input type="text" id="jump-role" name="jump-role" placeholder="arn:aws:iam::098765432109:role/Jump"
             title="Optional ARN of a role to assume before the target role" autocomplete="off">
    </div>
    <div class="field" id="client-id-block" hidden>
      <label for="client-id" title="OIDC client ID (Web Identity roles)">Client ID</label>
      <input type="text" id="client-id" name="client-id" title="OIDC client ID (Web Identity roles)" autocomplete="off">
    </div>
    <div class="field" id="redirect-uri-block" hidden>
      <label for="redirect-uri" title="OIDC redirect URI (Web Identity roles)">Redirect URI</label>
      <input type="text" id="redirect-uri" name="redirect-uri" title="OIDC redirect URI (Web Identity roles)" autocomplete="off">
    </div>
    <div class="actions">
      <button type="button" id="save-as" class="button primary" title="Save this configuration as a new profile">Save As ...</button>
      <span class="spacer"></span>
      <button type="button" id="clear" class="button danger" title="Empty every field of this form">Clear</button>
      <button type="submit" id="update" class="button success" title="Use this configuration now">Update</button>
    </div>
  </form>

  <section id="connect" class="connect">
    <p id="connect-text"></p>
    <code id="connect-line"></code>
  </section>
</main>

<dialog id="mfa-modal" aria-labelledby="mfa-legend">
  <form id="mfa-form">
    <button type="button" id="mfa-close" class="close" title="Close" aria-label="Close">&times;</button>
    <p id="mfa-message" class="message" role="alert"></p>
    <fieldset>
      <legend id="mfa-legend">Enter MFA Code</legend>
      <label for="mfa">MFA Code</label>
      <input id="mfa" name="mfa" type="text" size="8" required inputmode="numeric" autocomplete="one-time-code">
    </fieldset>
    <button type="submit" id="mfa-submit" class="button success block">Submit</button>
  </form>
</dialog>

<dialog id="cred-modal" aria-labelledby="cred-legend">
  <form id="cred-form">
    <button type="button" id="cred-close" class="close" title="Close" aria-label="Close">&times;</button>
    <p id="cred-message" class="message" role="alert"></p>
    <fieldset>
      <legend id="cred-legend">Enter Credentials</legend>
      <label for="username">Username</label>
      <input id="username" name="username" type="text" required autocomplete="username">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" required autocomplete="current-password">
    </fieldset>
    <input id="cred-type" name="cred-type" type="hidden" value="saml">
    <button type="submit" id="cred-submit" class="button success block">Login</button>
  </form>
</dialog>

<dialog id="save-modal" aria-labelledby="save-legend">
  <form id="save-form">
    <button type="button" id="save-close" class="close" title="Close" aria-label="Close">&times;</button>
    <fieldset>
      <legend id="save-legend">Enter Profile Name</legend>
      <label for="profile-name">Name</label>
      <input id="profile-name" name="profile-name" type="text" required autocomplete="off">
    </fieldset>
    <button type="submit" id="save-submit" class="button success block">Submit</button>
  </form>
</dialog>

<script src="/site.js"></script>
</body>
</html>
`;
}

/** The five characters that could end an attribute value or start markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
