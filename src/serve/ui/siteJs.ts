/**
 * The browser UI's script (served as /site.js; core.md §9.7). It reads the CSRF token from the page's meta tag and
 * sends it as `X-CSRF-Token` with every POST and PUT (managementApiGuard.ts). A 401 from the API opens the dialog
 * its `X-AwsRunas-Authentication-Type` names (core.md §9.6). Plain ES2017 for every current browser; it is a string
 * here so the bundler embeds it, and it is written without backquotes so it needs no escaping.
 */
export const SITE_JS = String.raw`(function () {
  "use strict";

  var IAM_FIELDS = ["source-profile", "external-id"];
  var SAML_FIELDS = ["auth-url", "adv-username", "adv-password", "jump-role"];
  var OIDC_FIELDS = ["client-id", "redirect-uri"];

  function $(id) { return document.getElementById(id); }
  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") || "" : "";
  }

  var csrfToken = meta("csrf-token");
  var ecsPath = meta("ecs-path");
  var roleSelect = $("role");
  var advancedForm = $("advanced");
  // The profile this page last saw active: a name, "" for the Advanced form's configuration, null for none.
  var activeProfile = null;

  // Every request of the page. POST and PUT carry the CSRF token; the answer comes back as status, text and the
  // authentication type a 401 asks for.
  function call(method, path, body, contentType) {
    var headers = {};
    if (method !== "GET") {
      headers["X-CSRF-Token"] = csrfToken;
      headers["Content-Type"] = contentType || "text/plain; charset=utf-8";
    }
    return fetch(path, { method: method, headers: headers, body: body, credentials: "same-origin", cache: "no-store" })
      .then(function (res) {
        return res.text().then(function (text) {
          return {
            status: res.status,
            text: text,
            authType: res.headers.get("X-AwsRunas-Authentication-Type") || "",
            profile: res.headers.get("X-AwsRunas-Profile")
          };
        });
      });
  }
  function sendForm(method, path, params) {
    return call(method, path, params.toString(), "application/x-www-form-urlencoded");
  }
  function parse(reply) {
    try { return JSON.parse(reply.text); } catch (e) { return null; }
  }
  // The API's errors are {"code", "message"} JSON; anything else is shown as it came.
  function messageOf(reply) {
    var o = parse(reply);
    if (o && typeof o.message === "string") return o.message;
    return reply.text || ("the server answered HTTP " + reply.status);
  }
  function unreachable(err) {
    showAlert("Error", "the server did not answer (" + (err && err.message ? err.message : err) + ")");
  }

  // Alerts: green "Success" for 1.5 s, red "Error" with the message for 4 s.
  var alertTimer = null;
  function showAlert(type, message) {
    var box = $("alert");
    var success = type === "Success";
    box.className = "alert " + (success ? "success" : "error");
    $("alert-type").textContent = success ? "Success" : "Error";
    $("alert-text").textContent = message || "";
    box.hidden = false;
    clearTimeout(alertTimer);
    alertTimer = setTimeout(function () { box.hidden = true; }, success ? 1500 : 4000);
  }
  $("alert-close").addEventListener("click", function () { $("alert").hidden = true; });

  function setBusy(on) {
    document.body.classList.toggle("busy", on);
    document.body.setAttribute("aria-busy", on ? "true" : "false");
  }

  // Rebuilds a drop-down's options after its first keep fixed ones (only when the list changed, so an open list
  // does not flicker) and keeps the selection; a selected value missing from the list is kept as an option.
  function fillSelect(sel, names, keep) {
    var value = sel.value;
    var wanted = names.slice();
    if (value !== "" && wanted.indexOf(value) < 0 && !fixedOption(sel, value, keep)) wanted.push(value);
    var current = [];
    for (var i = keep; i < sel.options.length; i++) current.push(sel.options[i].value);
    if (current.join("\n") === wanted.join("\n")) return;
    sel.length = keep;
    wanted.forEach(function (n) { sel.add(new Option(n, n)); });
    sel.value = value;
  }
  function fixedOption(sel, value, keep) {
    for (var i = 0; i < keep; i++) if (sel.options[i].value === value) return true;
    return false;
  }
  function selectValue(sel, value) {
    if (value !== "" && !Array.prototype.some.call(sel.options, function (o) { return o.value === value; })) {
      sel.add(new Option(value, value));
    }
    sel.value = value;
  }

  // The Role drop-down lists the profiles with a role_arn, sorted, refreshed whenever it is about to open.
  var rolesPending = null;
  function loadRoles() {
    if (rolesPending) return rolesPending;
    rolesPending = call("GET", "/list-roles").then(function (reply) {
      if (reply.status !== 200) return showAlert("Error", messageOf(reply));
      fillSelect(roleSelect, (parse(reply) || []).slice().sort(), 1);
    }).catch(unreachable).then(function () { rolesPending = null; });
    return rolesPending;
  }
  roleSelect.addEventListener("mousedown", loadRoles);
  roleSelect.addEventListener("focus", loadRoles);
  roleSelect.addEventListener("change", function () {
    if (roleSelect.value !== "") activate(roleSelect.value);
  });

  // POST /profile switches the active profile and signs in now: 200 shows it, 401 opens the dialog it asks for.
  function activate(name) {
    setBusy(true);
    return call("POST", "/profile", name).then(function (reply) {
      if (reply.status === 200) return showProfile(name, parse(reply) || {});
      if (reply.status === 401) {
        // The server made it active already; its credentials wait for the dialog.
        showPending(name);
        return askForSignIn(reply);
      }
      showAlert("Error", messageOf(reply));
    }).catch(unreachable).then(function () { setBusy(false); });
  }

  // GET /profile: what is active now (after a dialog completed a sign-in, and when the page opens).
  function showActive() {
    return call("GET", "/profile").then(function (reply) {
      if (reply.status !== 200) return showNoProfile();
      var name = reply.profile === null ? (activeProfile || "") : decodeURIComponent(reply.profile);
      showProfile(name, parse(reply) || {});
    }).catch(unreachable);
  }

  function typeOf(p) {
    if (p.client_id) return "oidc";
    if (p.auth_url) return "saml";
    return "iam";
  }
  var TYPE_NAMES = { iam: "IAM", saml: "SAML", oidc: "Web Identity (OIDC)" };

  function showProfile(name, p) {
    activeProfile = name;
    selectValue(roleSelect, name);
    $("active-none").hidden = true;
    $("active-details").hidden = false;
    $("active-profile").textContent = name === "" ? "(custom configuration)" : name;
    $("active-type").textContent = TYPE_NAMES[typeOf(p)];
    $("active-role-arn").textContent = p.role_arn || "(none)";
    // The Advanced form shows the active profile's settings, ready to change or save under another name.
    $("adv-type").value = typeOf(p);
    updateAdvancedForm(typeOf(p), p.source_profile || "default");
    $("role-arn").value = p.role_arn || "";
    $("external-id").value = p.external_id || "";
    $("auth-url").value = p.auth_url || "";
    $("adv-username").value = p.username || "";
    $("jump-role").value = p.jump_role || "";
    $("client-id").value = p.client_id || "";
    $("redirect-uri").value = p.redirect_uri || "";
  }
  function showPending(name) {
    activeProfile = name;
    $("active-none").hidden = true;
    $("active-details").hidden = false;
    $("active-profile").textContent = name;
    $("active-type").textContent = "";
    $("active-role-arn").textContent = "(waiting for the sign-in)";
  }
  function showNoProfile() {
    activeProfile = null;
    $("active-none").hidden = false;
    $("active-details").hidden = true;
  }

  // The dialogs. The 401's authentication type decides which; upstream's body shape is the fallback.
  function askForSignIn(reply) {
    var body = parse(reply) || {};
    var kind = reply.authType || (typeof body.username === "string" ? "AUTH" : "MFA");
    if (kind === "AUTH") openCredentials(typeof body.username === "string" ? body.username : "");
    else openMfa();
  }
  function openDialog(id) {
    var d = $(id);
    if (!d.open) d.showModal();
  }
  function closeDialog(id) {
    var d = $(id);
    if (d.open) d.close();
  }
  function openMfa() {
    closeDialog("cred-modal");
    $("mfa-message").textContent = "";
    $("mfa").value = "";
    openDialog("mfa-modal");
    $("mfa").focus();
  }
  function openCredentials(username) {
    closeDialog("mfa-modal");
    $("cred-message").textContent = "";
    $("username").value = username;
    $("password").value = "";
    openDialog("cred-modal");
    (username === "" ? $("username") : $("password")).focus();
  }
  $("mfa-close").addEventListener("click", function () { closeDialog("mfa-modal"); });
  $("cred-close").addEventListener("click", function () { closeDialog("cred-modal"); });
  $("save-close").addEventListener("click", function () { closeDialog("save-modal"); });

  $("mfa-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    var code = $("mfa").value.trim();
    if (code === "") return $("mfa").focus();
    $("mfa-submit").disabled = true;
    sendForm("POST", "/mfa", new URLSearchParams({ mfa: code })).then(function (reply) {
      $("mfa").value = "";
      if (reply.status === 200) {
        closeDialog("mfa-modal");
        return showActive();
      }
      if (reply.status === 401 && reply.authType === "AUTH") return askForSignIn(reply);
      if (reply.status === 401) {
        $("mfa-message").textContent = "Invalid MFA Code";
        return $("mfa").focus();
      }
      showAlert("Error", messageOf(reply));
    }).catch(unreachable).then(function () { $("mfa-submit").disabled = false; });
  });

  $("cred-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    var params = new URLSearchParams(new FormData($("cred-form")));
    $("cred-submit").disabled = true;
    sendForm("POST", "/auth", params).then(function (reply) {
      // The password never stays in the page longer than the request.
      $("password").value = "";
      if (reply.status === 200) {
        $("username").value = "";
        closeDialog("cred-modal");
        return showActive();
      }
      if (reply.status === 401 && reply.authType === "MFA") return askForSignIn(reply);
      if (reply.status === 401) {
        $("cred-message").textContent = "Invalid Credentials";
        return $("password").focus();
      }
      showAlert("Error", messageOf(reply));
    }).catch(unreachable).then(function () { $("cred-submit").disabled = false; });
  });

  // Refresh Now drops the cached credentials, then signs in again at once (which may open a dialog).
  $("refresh").addEventListener("click", function () {
    setBusy(true);
    call("POST", "/refresh", "").then(function (reply) {
      if (reply.status !== 200) return showAlert("Error", messageOf(reply));
      if (activeProfile) return activate(activeProfile);
      showAlert("Success", "credentials refreshed");
    }).catch(unreachable).then(function () { setBusy(false); });
  });

  // The Advanced form: the fields of the chosen type are shown, the others hidden and emptied.
  function updateAdvancedForm(type, sourceProfile) {
    var shown = type === "saml" ? SAML_FIELDS : type === "oidc" ? SAML_FIELDS.concat(OIDC_FIELDS) : IAM_FIELDS;
    IAM_FIELDS.concat(SAML_FIELDS, OIDC_FIELDS).forEach(function (id) {
      var visible = shown.indexOf(id) >= 0;
      $(id + "-block").hidden = !visible;
      if (!visible && id !== "source-profile") $(id).value = "";
    });
    loadSourceProfiles(sourceProfile);
  }
  // Source profiles: those without a role_arn, sorted, after the fixed "default".
  function loadSourceProfiles(selected) {
    var sel = $("source-profile");
    return call("GET", "/list-profiles").then(function (reply) {
      if (reply.status !== 200) return showAlert("Error", messageOf(reply));
      var names = (parse(reply) || []).filter(function (n) { return n !== "default"; }).sort();
      fillSelect(sel, names, 1);
      selectValue(sel, selected || "default");
    }).catch(unreachable);
  }
  $("adv-type").addEventListener("change", function () {
    updateAdvancedForm($("adv-type").value, $("source-profile").value);
  });

  $("advanced-toggle").addEventListener("click", function () {
    var open = advancedForm.hidden;
    advancedForm.hidden = !open;
    $("advanced-toggle").setAttribute("aria-expanded", open ? "true" : "false");
  });

  $("clear").addEventListener("click", function () {
    ["role-arn", "external-id", "auth-url", "adv-username", "adv-password", "jump-role", "client-id", "redirect-uri"]
      .forEach(function (id) { $(id).value = ""; });
    $("source-profile").selectedIndex = 0;
  });

  function advancedParams() {
    return new URLSearchParams(new FormData(advancedForm));
  }

  // Update: the form's configuration becomes the active one (it has no profile name).
  advancedForm.addEventListener("submit", function (evt) {
    evt.preventDefault();
    var roleArn = $("role-arn").value.trim();
    var type = $("adv-type").value;
    setBusy(true);
    sendForm("POST", "/profile/custom", advancedParams()).then(function (reply) {
      $("adv-password").value = "";
      if (reply.status === 200) {
        activeProfile = "";
        roleSelect.value = "";
        $("active-none").hidden = true;
        $("active-details").hidden = false;
        $("active-profile").textContent = "(custom configuration)";
        $("active-type").textContent = TYPE_NAMES[type];
        $("active-role-arn").textContent = roleArn || "(none)";
        return showAlert("Success", "running configuration updated");
      }
      if (reply.status === 401) return askForSignIn(reply);
      showAlert("Error", messageOf(reply));
    }).catch(unreachable).then(function () { setBusy(false); });
  });

  // Save As: the form is written to the config file as [profile <name>].
  $("save-as").addEventListener("click", function () {
    $("profile-name").value = "";
    openDialog("save-modal");
    $("profile-name").focus();
  });
  $("save-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    var name = $("profile-name").value.trim();
    if (name === "") return $("profile-name").focus();
    var params = advancedParams();
    params.append("profile-name", name);
    $("save-submit").disabled = true;
    sendForm("PUT", "/profile/custom", params).then(function (reply) {
      closeDialog("save-modal");
      if (reply.status !== 200) return showAlert("Error", messageOf(reply));
      showAlert("Success", "saved as profile " + name);
      return loadRoles();
    }).catch(unreachable).then(function () { $("save-submit").disabled = false; });
  });

  // How programs reach this server.
  var origin = location.protocol + "//" + location.host;
  if (ecsPath) {
    $("connect-text").textContent = "Containers and SDKs: set this, and the AWS_CONTAINER_AUTHORIZATION_TOKEN line the server printed at start:";
    $("connect-line").textContent = "AWS_CONTAINER_CREDENTIALS_FULL_URI=" + origin + ecsPath;
  } else {
    $("connect-text").textContent = "SDKs and the AWS CLI: set";
    $("connect-line").textContent = "AWS_EC2_METADATA_SERVICE_ENDPOINT=" + origin + "/";
  }

  updateAdvancedForm($("adv-type").value, "default");
  loadRoles().then(showActive);
})();
`;
