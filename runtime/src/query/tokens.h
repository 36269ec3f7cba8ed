// Bearer tokens of the query listener. The file (a mounted Secret) lists
// each caller's name, scopes and token; only SHA-256 hashes are kept in
// memory. The file is read again when it changes, so tokens rotate without
// a restart; a file that no longer parses keeps the previous tokens.
//
//   tokens:
//     - name: crm-sync                 # who, in the audit log
//       scopes: [leads:read]           # leads:read, reports:read, pii:read
//       sha256: 9f86d081884c7d65...    # hex SHA-256 of the token, or
//     - name: ops
//       scopes: [leads:read, reports:read, pii:read]
//       token: "a-long-random-string"  # the token itself (hashed on load)
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "baton/runtime/status.h"

namespace baton::runtime::query {

enum Scope : unsigned { kLeadsRead = 1, kReportsRead = 2, kPiiRead = 4 };

struct Caller {
  std::string name;
  unsigned scopes = 0;
  bool has(Scope s) const { return (scopes & s) != 0; }
};

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Parses a tokens file's text; the error names the entry and the fix.
Result<std::map<std::string, Caller>> parse_tokens(const std::string& yaml_text);

class TokenStore {
 public:
  // Reads `path`; an error names the file (missing, unreadable, invalid).
  static Result<std::unique_ptr<TokenStore>> open(std::filesystem::path path);

  // The caller a bearer token belongs to, if any.
  std::optional<Caller> authenticate(std::string_view token) const;
  // Reads the file again when its modification time or size changed.
  // Returns true when new tokens took effect.
  bool reload_if_changed();
  size_t size() const;

 private:
  explicit TokenStore(std::filesystem::path path) : path_(std::move(path)) {}
  Status load();

  std::filesystem::path path_;
  mutable std::mutex mu_;
  std::map<std::string, Caller> by_hash_;
  std::filesystem::file_time_type mtime_{};
  uintmax_t size_ = 0;
};

}  // namespace baton::runtime::query
