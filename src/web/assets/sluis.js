// Enhancements only: every page works without this script.
(function () {
  'use strict';
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () { navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {}); });
  }

  // The BSN 11-test while typing (the server checks again).
  function elevenTest(value) {
    if (!/^\d{9}$/.test(value)) return false;
    var sum = 0;
    for (var i = 0; i < 8; i++) sum += Number(value[i]) * (9 - i);
    sum -= Number(value[8]);
    return sum % 11 === 0;
  }
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.getElementById('foutmeldingen');
    if (summary) summary.focus();
    document.querySelectorAll('input[data-bsn]').forEach(function (input) {
      var hint = document.getElementById(input.id + '-controle');
      if (!hint) return;
      input.addEventListener('input', function () {
        var value = input.value.replace(/\D/g, '');
        if (value.length < 9) { hint.textContent = ''; hint.className = 'sluis-bsn-check'; return; }
        var ok = value.length === 9 && elevenTest(value);
        hint.textContent = ok ? 'Dit BSN klopt (elfproef).' : 'Dit BSN klopt niet. Controleer de cijfers.';
        hint.className = 'sluis-bsn-check ' + (ok ? 'sluis-bsn-check--ok' : 'sluis-bsn-check--error');
      });
    });
  });
})();

// ---- Signaal afgeven: the consent/informing section that fits the person's age (src/signals/signal-pages-form-view.tsx).
// Without this script both sections show and the server reads the one that fits; with it, the
// other section hides and the page says what the law asks as soon as the date of birth is typed.
// Keep the texts equal to ageAdvice() in src/signals/signal-pages-form.ts.
(function () {
  'use strict';
  function ageOn(birth, today) {
    var age = today.y - birth.y;
    if (today.m < birth.m || (today.m === birth.m && today.d < birth.d)) age -= 1;
    return age;
  }
  function advice(age) {
    if (age >= 23) return 'De persoon is vandaag ' + age + ' jaar. Vanaf 23 jaar is toestemming van de persoon nodig.';
    if (age >= 16) return 'De persoon is vandaag ' + age + ' jaar. Vanaf 16 jaar informeert u de jongere zelf.';
    if (age >= 12) return 'De persoon is vandaag ' + age + ' jaar. Van 12 tot en met 15 jaar informeert u de jongere én de ouders of voogd.';
    return 'De persoon is vandaag ' + age + ' jaar. Onder de 12 jaar informeert u de ouders of voogd.';
  }
  function realDate(y, m, d) {
    var date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }
  document.addEventListener('DOMContentLoaded', function () {
    var section = document.getElementById('grondslag');
    if (!section) return;
    var todayParts = (section.getAttribute('data-vandaag') || '').split('-').map(Number);
    var today = { y: todayParts[0], m: todayParts[1], d: todayParts[2] };
    var day = document.getElementById('geboortedatum');
    var month = document.getElementById('geboortedatum-maand');
    var year = document.getElementById('geboortedatum-jaar');
    var hint = document.getElementById('leeftijd-uitleg');
    var consent = section.querySelector('[data-sectie="toestemming"]');
    var informing = section.querySelector('[data-sectie="informeren"]');
    function update() {
      if (!day || !month || !year) return;
      var d = Number(day.value), m = Number(month.value), y = Number(year.value);
      var complete = year.value.length === 4 && realDate(y, m, d);
      var birth = { y: y, m: m, d: d };
      var future = complete && (y > today.y || (y === today.y && (m > today.m || (m === today.m && d > today.d))));
      if (!complete || future) {
        if (consent) consent.hidden = false;
        if (informing) informing.hidden = false;
        return;
      }
      var age = ageOn(birth, today);
      if (hint) hint.textContent = advice(age);
      var adult = age >= 23;
      if (consent) consent.hidden = !adult;
      if (informing) informing.hidden = adult && Boolean(consent);
    }
    [day, month, year].forEach(function (input) { if (input) input.addEventListener('input', update); });
    update();

    // Informed, or informing postponed: show only the questions that belong to the answer.
    var choices = section.querySelectorAll('input[name="informeren"]');
    function updateInforming() {
      var chosen = section.querySelector('input[name="informeren"]:checked');
      section.querySelectorAll('[data-bij]').forEach(function (part) {
        part.hidden = Boolean(chosen) && part.getAttribute('data-bij') !== chosen.value;
      });
    }
    choices.forEach(function (choice) { choice.addEventListener('change', updateInforming); });
    updateInforming();
  });
})();

// ---- Before the idle timeout (docs/web.md, "Sessions"): on a signed-in page with a form, a polite
// notice a few minutes before the session ends, with a button that keeps it (a POST with the page's
// CSRF token to /sessie/verlengen, the server's keep-alive). The page says the idle time in
// <body data-sessie-minuten>. Without this script nothing is lost either: a form sent after the
// timeout is kept, and comes back filled in after signing in again.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var minutes = Number(document.body.getAttribute('data-sessie-minuten'));
    var main = document.getElementById('inhoud');
    var token = document.querySelector('input[name="_csrf"]');
    var forms = Array.prototype.filter.call(document.querySelectorAll('form[method="post"]'), function (form) {
      return !form.classList.contains('sluis-user__signout');
    });
    if (!(minutes > 0) || !main || !token || forms.length === 0) return;
    var lead = minutes >= 10 ? 3 : 2;
    var notice = document.createElement('div');
    notice.className = 'sluis-session-notice';
    // A polite live region (not role="status": the page's own status messages stay the page's), in <main>, at its end.
    notice.setAttribute('aria-live', 'polite');
    notice.setAttribute('aria-atomic', 'true');
    var text = document.createElement('p');
    text.className = 'utrecht-paragraph';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'utrecht-button utrecht-button--primary-action';
    button.textContent = 'Ingelogd blijven';
    main.appendChild(notice);
    var timers = [];
    var hideTimer = null;
    var returnFocus = null;
    function clearTimers() { timers.forEach(clearTimeout); timers = []; }
    function show(message, withButton) {
      clearTimeout(hideTimer);
      text.textContent = message;
      if (!text.parentNode) notice.appendChild(text);
      if (withButton && !button.parentNode) notice.appendChild(button);
      if (!withButton && button.parentNode) notice.removeChild(button);
      document.body.classList.add('sluis-session-warned');
    }
    function hide() {
      while (notice.firstChild) notice.removeChild(notice.firstChild);
      document.body.classList.remove('sluis-session-warned');
    }
    function signedOut() {
      clearTimers();
      show('U bent nu uitgelogd, omdat u ' + minutes + ' minuten niets naar SluiS heeft gestuurd. Verstuur het formulier gewoon: wat u heeft ingevuld, wordt bewaard en staat na het opnieuw inloggen weer klaar.', false);
    }
    function schedule() {
      clearTimers();
      timers.push(setTimeout(function () {
        show('U wordt over ' + lead + ' minuten automatisch uitgelogd, omdat u een tijd niets naar SluiS heeft gestuurd. Wilt u verder? Kies dan ‘Ingelogd blijven’. Wat u heeft ingevuld, blijft staan.', true);
      }, (minutes - lead) * 60000));
      timers.push(setTimeout(signedOut, minutes * 60000));
    }
    // Back to where the user was typing, once the session is kept.
    button.addEventListener('focus', function (event) { if (event.relatedTarget) returnFocus = event.relatedTarget; });
    button.addEventListener('click', function () {
      button.disabled = true;
      var body = new URLSearchParams();
      body.append('_csrf', token.value);
      fetch('/sessie/verlengen', { method: 'POST', body: body, credentials: 'same-origin' }).then(function (response) {
        button.disabled = false;
        if (response.status !== 204) { signedOut(); return; }
        if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
        show('U blijft ingelogd.', false);
        schedule();
        hideTimer = setTimeout(hide, 10000);
      }).catch(function () {
        button.disabled = false;
        show('Dat lukte niet. Controleer uw internetverbinding en kies opnieuw ‘Ingelogd blijven’.', true);
      });
    });
    schedule();
  });
})();

// ---- The menu (src/web/layout.tsx): a details/summary that works without this script. With it,
// Escape closes the open menu and puts focus back on its button, and a tap outside closes it.
(function () {
  'use strict';
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var menu = document.querySelector('details.sluis-menu[open]');
    if (!menu) return;
    menu.open = false;
    var button = menu.querySelector('summary');
    if (button) button.focus();
  });
  document.addEventListener('click', function (event) {
    var menu = document.querySelector('details.sluis-menu[open]');
    if (menu && !menu.contains(event.target)) menu.open = false;
  });
})();

// ---- Informatiebrief: "Tekst kopiëren" copies a letter's text (src/web/professional/information-letter-pages.tsx).
// Without this script the button stays hidden and the text is selected and copied by hand.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('button[data-kopieer]').forEach(function (button) {
      var id = button.getAttribute('data-kopieer');
      var text = document.getElementById(id);
      var status = document.getElementById(id + '-status');
      if (!text) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        var done = function () { if (status) status.textContent = 'De tekst is gekopieerd.'; };
        text.focus();
        text.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text.value).then(done, function () {
            if (status) status.textContent = 'Kopiëren lukte niet. De tekst is geselecteerd: kopieer hem zelf.';
          });
        } else {
          try { document.execCommand('copy'); done(); } catch (e) { if (status) status.textContent = 'De tekst is geselecteerd: kopieer hem zelf.'; }
        }
      });
    });
  });
})();
