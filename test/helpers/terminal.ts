/**
 * Running the built CLI the way a person does: on a real pseudo-terminal (python's pty), typing answers at its
 * prompts.
 */
import { CLI, run } from "./cliRun.js";

/**
 * Runs the CLI with a real pseudo-terminal as its controlling terminal and an empty pipe as stdin (as under
 * credential_process), typing `answers` in order, one at each `Password: ` (once echo is off) or `MFA token code: `
 * prompt. Returns everything the terminal showed (stdout and stderr together) as stdout.
 */
export function runOnTerminal(args: string[], env: Record<string, string>, answers: string[]) {
  const script = [
    "import os, pty, sys, json, termios, time",
    "args = json.loads(sys.argv[1]); answers = json.loads(sys.argv[2])",
    "pid, fd = pty.fork()",
    "if pid == 0:",
    "    r, w = os.pipe(); os.close(w); os.dup2(r, 0)",
    "    os.execv(args[0], args)",
    "out = b''",
    "answered = 0",
    "while True:",
    "    try: chunk = os.read(fd, 4096)",
    "    except OSError: break",
    "    if not chunk: break",
    "    out += chunk",
    "    asked = out.count(b'Password: ') + out.count(b'MFA token code: ')",
    "    while answered < min(asked, len(answers)):",
    // A password is typed only once the terminal's echo is off, as a person would see the prompt first.
    "        if out.rfind(b'Password: ') > out.rfind(b'MFA token code: '):",
    "            for _ in range(500):",
    "                if not termios.tcgetattr(fd)[3] & termios.ECHO: break",
    "                time.sleep(0.01)",
    "        os.write(fd, answers[answered].encode() + b'\\n'); answered += 1",
    "_, status = os.waitpid(pid, 0)",
    "sys.stdout.write(out.decode())",
    "sys.exit(os.waitstatus_to_exitcode(status))",
  ].join("\n");
  return run("python3", ["-c", script, JSON.stringify([process.execPath, CLI, ...args]), JSON.stringify(answers)], env);
}
