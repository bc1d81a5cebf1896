/**
 * The console's stylesheet, served by Passerelle at /console/assets/console.css (no CDN: programme
 * offices may be offline). Logical properties only (inline start and end), so that one sheet lays out
 * left-to-right and Arabic pages alike. Colours keep a contrast of 4.5:1 or more with their background.
 */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,Arial,"Noto Sans Arabic","Noto Sans SC",sans-serif;margin:0;line-height:1.5;color:#1a1a1a;background:#fafbfc;text-align:start}
a{color:#0b4f94}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #b45309;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}
.skip:focus{inset-inline-start:1rem;inset-block-start:1rem;background:#fff;padding:.5rem;z-index:2}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding-block:.75rem;padding-inline:1.5rem;background:#0b3d73;color:#fff}
header a{color:#fff}
header .product{margin:0;font-weight:700}
header ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
header [aria-current]{font-weight:700;text-decoration-thickness:3px}
.account{display:flex;gap:.75rem;align-items:center;margin-inline-start:auto}
.account form{margin:0}
button.link{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding-block:.2rem;padding-inline:.6rem;cursor:pointer;font:inherit}
.languages{flex-basis:100%;font-size:.9rem}
main{max-inline-size:60rem;margin-block:1.5rem;margin-inline:auto;padding-inline:1.5rem}
h1{font-size:1.6rem;color:#0b3d73;margin-block:0 1rem}
h2{font-size:1.2rem;color:#0b3d73;margin-block:1.75rem .5rem}
table{border-collapse:collapse;inline-size:100%;background:#fff}
th,td{text-align:start;padding-block:.4rem;padding-inline:.6rem;border-block-end:1px solid #d6dbe1;vertical-align:top}
th{background:#eef2f7}
.notice{padding-block:.75rem;padding-inline:1rem;border-inline-start:4px solid #0b5cad;background:#eef4fb;margin-block:1rem}
.notice.error{border-color:#a3261b;background:#fbeceb}
.status{display:inline-block;padding-inline:.5rem;border-radius:3px;background:#e4e7eb;font-size:.9rem}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;background:#fff;padding:1rem;border:1px solid #d6dbe1}
dl.fields dt{font-weight:600}
dl.fields dd{margin:0;white-space:pre-line}
ol.timeline{list-style:none;padding:0;border-inline-start:3px solid #0b5cad;margin-inline-start:.5rem}
ol.timeline li{padding-inline-start:1rem;margin-block:.5rem}
ol.timeline time{color:#4b5563;display:block;font-size:.9rem}
form.action,form.edit,form.filters,form.sign-in{background:#fff;border:1px solid #d6dbe1;padding:1rem;margin-block:1rem}
form.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:end}
.field{margin-block:.75rem}
.field label,.field legend{display:block;font-weight:600}
.field .hint{color:#4b5563;font-size:.9rem;margin:0}
.field .error{color:#a3261b;font-weight:600;margin:0}
input[type=text],input[type=email],input[type=password],input[type=number],select,textarea{font:inherit;padding:.4rem;border:1px solid #6b7280;border-radius:3px;max-inline-size:100%}
input[type=text],input[type=email],input[type=password],textarea{inline-size:30rem}
textarea{min-block-size:6rem}
input[aria-invalid=true],textarea[aria-invalid=true],select[aria-invalid=true]{border-color:#a3261b;border-width:2px}
.field div>label{display:inline;font-weight:400;margin-inline-start:.4rem}
fieldset{border:0;padding:0;margin:0}
button[type=submit]:not(.link){font:inherit;padding-block:.5rem;padding-inline:1.2rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}
button.danger{background:#a3261b !important}
.actions{display:grid;gap:1rem}
`;
