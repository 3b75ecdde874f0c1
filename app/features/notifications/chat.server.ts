/**
 * Group chat robots' webhooks, as their platforms document them:
 * - WeCom (企业微信 群机器人): POST the webhook URL (its `key` in the query) with
 *   `{"msgtype":"text","text":{"content":...}}`; no signing; `{"errcode":0}` means sent.
 * - DingTalk (钉钉 自定义机器人, 加签): `timestamp` in milliseconds and `sign` =
 *   urlencode(base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret))) appended to
 *   the URL; the same text body; `{"errcode":0}` means sent.
 * - Feishu / Lark (飞书 自定义机器人, 签名校验): `timestamp` in seconds and `sign` =
 *   base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)) in the body beside
 *   `{"msg_type":"text","content":{"text":...}}`; `{"code":0}` means sent.
 */
import crypto from "node:crypto";

export type RobotKind = "wecom" | "dingtalk" | "feishu";

export function dingTalkSign(secret: string, timestampMs: number): string {
  return crypto.createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

export function feishuSign(secret: string, timestampSeconds: number): string {
  return crypto.createHmac("sha256", `${timestampSeconds}\n${secret}`).update(Buffer.alloc(0)).digest("base64");
}

/** The request a robot's message is: its URL and JSON body. */
export function robotRequest(robot: { kind: RobotKind; url: string; secret: string | null }, text: string, now: Date): { url: string; body: unknown } {
  if (robot.kind === "wecom") return { url: robot.url, body: { msgtype: "text", text: { content: text } } };
  if (robot.kind === "dingtalk") {
    const body = { msgtype: "text", text: { content: text } };
    if (!robot.secret) return { url: robot.url, body };
    const timestamp = now.getTime();
    const url = new URL(robot.url);
    url.searchParams.set("timestamp", String(timestamp));
    url.searchParams.set("sign", dingTalkSign(robot.secret, timestamp));
    return { url: url.toString(), body };
  }
  const content = { msg_type: "text", content: { text } };
  if (!robot.secret) return { url: robot.url, body: content };
  const timestamp = Math.floor(now.getTime() / 1000);
  return { url: robot.url, body: { timestamp: String(timestamp), sign: feishuSign(robot.secret, timestamp), ...content } };
}

/** Posts a robot's message; throws with the platform's answer when it was not accepted. */
export async function postToRobot(robot: { kind: RobotKind; url: string; secret: string | null }, text: string, now = new Date()): Promise<void> {
  const request = robotRequest(robot, text, now);
  const response = await fetch(request.url, {
    method: "POST",
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(request.body),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${answer.slice(0, 200)}`);
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(answer);
  } catch {
    throw new Error(`not JSON: ${answer.slice(0, 200)}`);
  }
  const code = parsed && typeof parsed === "object" ? ("errcode" in parsed ? parsed.errcode : "code" in parsed ? parsed.code : "StatusCode" in parsed ? parsed.StatusCode : 0) : 0;
  if (code !== 0) throw new Error(`refused: ${answer.slice(0, 200)}`);
}
