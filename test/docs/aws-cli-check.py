"""Checks AWS CLI commands against the installed CLI's own command tables, offline.

Reads JSON from stdin: [{"words": ["cloudformation", "create-stack-set"], "flags": ["--stack-set-name", ...]}]
and writes JSON: one problem string per unknown service, operation or flag (an empty list: all known).
Flags of AWS CLI version 2 that version 1 lacks are accepted as such (V2_ONLY below).
"""
import json
import sys

from awscli.clidriver import create_clidriver

# Global options only AWS CLI v2 has; the guide says when it uses them.
V2_ONLY = {"cli-binary-format", "no-cli-pager", "cli-auto-prompt", "no-cli-auto-prompt"}


def subcommands(command):
    if hasattr(command, "subcommand_table"):
        return command.subcommand_table
    if hasattr(command, "_get_command_table"):
        return command._get_command_table()
    return {}


def main():
    driver = create_clidriver()
    services = driver._get_command_table()
    global_flags = set(driver._get_argument_table().keys()) | V2_ONLY
    problems = []
    for entry in json.load(sys.stdin):
        words = entry["words"]
        text = "aws " + " ".join(words)
        if not words or words[0] not in services:
            problems.append(f"{text}: unknown service")
            continue
        command = services[words[0]]
        for word in words[1:]:
            table = subcommands(command)
            if word not in table:
                problems.append(f"{text}: unknown command '{word}'")
                command = None
                break
            command = table[word]
        if command is None:
            continue
        if subcommands(command) and not hasattr(command, "arg_table"):
            problems.append(f"{text}: needs a subcommand")
            continue
        known = set(getattr(command, "arg_table", {}).keys()) | global_flags
        for flag in entry["flags"]:
            if flag[2:] not in known:
                problems.append(f"{text}: unknown option {flag}")
    json.dump(problems, sys.stdout)


main()
