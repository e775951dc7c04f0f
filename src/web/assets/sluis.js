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
