#include "render/language_guess.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/highlight.hpp"

namespace sillypaste::render {
namespace {

using Case = std::pair<std::string, std::optional<std::string>>;

bool is_known_language(const std::string& name) {
  static const std::vector<std::string> languages = highlighter_languages();
  return name == "markdown" || name == "org-mode" ||
         std::binary_search(languages.begin(), languages.end(), name);
}

TEST(LanguageForExtension, CommonExtensionsMapToDefinitionNames) {
  const std::vector<Case> cases = {
      {"py", "Python"},    {"c", "C"},        {"h", "C"},           {"cpp", "C++"},
      {"cc", "C++"},       {"hpp", "C++"},    {"js", "JavaScript"}, {"ts", "TypeScript"},
      {"rs", "Rust"},      {"go", "Go"},      {"java", "Java"},     {"rb", "Ruby"},
      {"sh", "Bash"},      {"bash", "Bash"},  {"pl", "Perl"},       {"php", "PHP (HTML)"},
      {"html", "HTML"},    {"css", "CSS"},    {"json", "JSON"},     {"yaml", "YAML"},
      {"yml", "YAML"},     {"toml", "TOML"},  {"sql", "SQL"},       {"md", "markdown"},
      {"org", "org-mode"}, {"lua", "Lua"},    {"hs", "Haskell"},    {"kt", "Kotlin"},
      {"swift", "Swift"},  {"cs", "C#"},      {"scala", "Scala"},   {"xml", "XML"},
      {"diff", "Diff"},    {"patch", "Diff"}, {"mk", "Makefile"},
  };
  for (const auto& [extension, expected] : cases) {
    EXPECT_EQ(language_for_extension(extension), expected) << extension;
  }
}

TEST(LanguageForExtension, CaseInsensitiveAndLeadingDotAllowed) {
  EXPECT_EQ(language_for_extension("PY"), "Python");
  EXPECT_EQ(language_for_extension(".Md"), "markdown");
}

TEST(LanguageForExtension, FallsBackToTheRepository) {
  EXPECT_EQ(language_for_extension("adoc"), "AsciiDoc");
}

TEST(LanguageForExtension, UnknownExtensionsGiveNothing) {
  EXPECT_EQ(language_for_extension(""), std::nullopt);
  EXPECT_EQ(language_for_extension("txt"), std::nullopt);
  EXPECT_EQ(language_for_extension("definitely-not-an-extension"), std::nullopt);
}

TEST(LanguageForExtension, EveryTableEntryIsAKnownLanguage) {
  // Extensions from the table plus a sweep of others the repository answers.
  for (const char* extension :
       {"adb",  "ads",        "asm",   "awk",  "bash",   "bat",     "c",          "c++",
        "cc",   "cfg",        "cjs",   "clj",  "cljs",   "cmake",   "cmd",        "coffee",
        "cpp",  "cr",         "cs",    "css",  "csv",    "cxx",     "d",          "dart",
        "diff", "dockerfile", "el",    "elm",  "erl",    "ex",      "exs",        "f90",
        "fish", "fs",         "fsx",   "go",   "gradle", "graphql", "groovy",     "h",
        "h++",  "hh",         "hpp",   "hrl",  "hs",     "htm",     "html",       "hxx",
        "ini",  "ipynb",      "java",  "jl",   "js",     "json",    "jsx",        "ksh",
        "kt",   "kts",        "less",  "lisp", "lua",    "m",       "markdown",   "md",
        "mjs",  "mk",         "mkd",   "ml",   "mli",    "mm",      "nim",        "nix",
        "org",  "pas",        "patch", "php",  "pl",     "pm",      "properties", "proto",
        "ps1",  "py",         "pyi",   "pyw",  "qml",    "r",       "rake",       "rb",
        "rkt",  "rs",         "rst",   "s",    "sass",   "scala",   "scm",        "scss",
        "sh",   "sol",        "sql",   "svg",  "swift",  "tcl",     "tex",        "tf",
        "toml", "ts",         "tsv",   "tsx",  "vala",   "vhd",     "vhdl",       "xml",
        "xsl",  "xslt",       "yaml",  "yml",  "zig",    "zsh"}) {
    const auto language = language_for_extension(extension);
    ASSERT_TRUE(language.has_value()) << extension;
    EXPECT_TRUE(is_known_language(*language)) << extension << " -> " << *language;
  }
}

TEST(GuessLanguage, FromTitleExtension) {
  EXPECT_EQ(guess_language("main.py", ""), "Python");
  EXPECT_EQ(guess_language("  src/lib.RS ", ""), "Rust");
  EXPECT_EQ(guess_language("README.md", "#!/bin/sh\n"), "markdown");
  EXPECT_EQ(guess_language("notes.org", ""), "org-mode");
}

TEST(GuessLanguage, FromWholeFileName) {
  EXPECT_EQ(guess_language("Makefile", ""), "Makefile");
  EXPECT_EQ(guess_language("CMakeLists.txt", ""), "CMake");
  EXPECT_EQ(guess_language("Dockerfile", ""), "Dockerfile");
}

// Whole-name answers are remembered per thread: each name keeps its own answer, also
// after the memory was filled with other names and emptied.
TEST(GuessLanguage, RememberedFileNamesKeepTheirOwnAnswers) {
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(guess_language("Makefile", ""), "Makefile");
    EXPECT_EQ(guess_language("untitled", "just text"), std::nullopt);
    EXPECT_EQ(guess_language("Dockerfile", ""), "Dockerfile");
    EXPECT_EQ(guess_language("CMakeLists.txt", ""), "CMake");
    for (int i = 0; i < 300; ++i) {
      EXPECT_EQ(guess_language("untitled-" + std::to_string(i), "just text"), std::nullopt);
    }
  }
}

TEST(GuessLanguage, TitlesThatAreNotFileNamesGiveNothing) {
  EXPECT_EQ(guess_language("notes v1.2", "just text"), std::nullopt);
  EXPECT_EQ(guess_language("Hello. World", "just text"), std::nullopt);
  EXPECT_EQ(guess_language("", ""), std::nullopt);
}

TEST(GuessLanguage, FromShebang) {
  const std::vector<Case> cases = {
      {"#!/usr/bin/env python3\nprint(1)\n", "Python"},
      {"#!/usr/bin/python3.11\n", "Python"},
      {"#!/bin/sh\necho hi\n", "Bash"},
      {"#! /bin/bash -e\n", "Bash"},
      {"#!/usr/bin/env -S node --harmony\n", "JavaScript"},
      {"#!/usr/bin/env LANG=C perl -w\n", "Perl"},
      {"#!/usr/bin/ruby\n", "Ruby"},
      {"#!/usr/bin/zsh\n", "Zsh"},
      {"#!/usr/bin/env lua5.4\n", "Lua"},
      {"#!/usr/bin/unknown-interpreter\n", std::nullopt},
      {"#!\n", std::nullopt},
      {"#!/usr/bin/env\n", std::nullopt},
      {"no shebang\n#!/bin/sh\n", std::nullopt},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_EQ(guess_language("", body), expected) << body;
  }
}

TEST(GuessLanguage, FromEmacsModeline) {
  const std::vector<Case> cases = {
      {"# -*- mode: python -*-\nx = 1\n", "Python"},
      {"// -*- Mode: C++; indent-tabs-mode: nil -*-\n", "C++"},
      {"#!/bin/false\n# -*- coding: utf-8; mode: ruby -*-\n", "Ruby"},
      {";; -*- lisp -*-\n", "Common Lisp"},
      {"/* -*- coding: utf-8 -*- */\n", std::nullopt},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_EQ(guess_language("", body), expected) << body;
  }
}

TEST(GuessLanguage, FromVimModeline) {
  const std::vector<Case> cases = {
      {"x = 1\n# vim: set ft=python:\n", "Python"},
      {"# vim: ft=python\n", "Python"},
      {"/* vi: set filetype=cpp ts=4: */\n", "C++"},
      {"-- vim: syntax=lua\n", "Lua"},
      {"// vim: set ts=2 sw=2 ft=javascript :\n", "JavaScript"},
      {"# vim: set ft=markdown:\n", "markdown"},
      {"# vim: set ts=4:\n", std::nullopt},
      {"novim: ft=python\n", std::nullopt},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_EQ(guess_language("", body), expected) << body;
  }
}

TEST(GuessLanguage, ModelinesInTheMiddleOfLongBodiesAreIgnored) {
  std::string body;
  for (int i = 0; i < 20; ++i) body += "line\n";
  body += "# vim: ft=python\n";
  for (int i = 0; i < 20; ++i) body += "line\n";
  EXPECT_EQ(guess_language("", body), std::nullopt);
  EXPECT_EQ(guess_language("", body + "# vim: ft=ruby\n"), "Ruby");
}

TEST(GuessLanguage, HugeOrBinaryBodiesDoNotCrash) {
  const std::string huge(2 * 1024 * 1024, '-');
  EXPECT_EQ(guess_language("", huge), std::nullopt);
  const std::string binary("\x00\xFF#!\xC0-*-\n\x80vim: ft=\xFF\n", 18);
  EXPECT_EQ(guess_language("\xFF.\xFE", binary), std::nullopt);
}

}  // namespace
}  // namespace sillypaste::render
