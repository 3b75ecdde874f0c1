import { chromium } from "playwright-core";
const [,, base, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const email = process.env.WHO ?? "head@demo.quarterdeck";
await page.goto(`${base}/login`);
await page.fill("input[name=email]", email);
await page.fill("input[name=password]", "quarterdeck-demo");
await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
let i = 0;
for (const p of paths) {
  if (p.startsWith("lang:")) { await page.goto(`${base}/`); await page.click(`text=${p.slice(5)}`).catch(() => {}); continue; }
  const res = await page.goto(`${base}${p}`);
  console.log(p, res.status());
  await page.screenshot({ path: `/tmp/shot-${i++}.png`, fullPage: process.env.FULL === "1" });
}
await browser.close();
