#include "query/tokens.h"

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "baton/runtime/log.h"

namespace baton::runtime::query {
namespace {

std::optional<Scope> scope_of(const std::string& s) {
  if (s == "leads:read") return kLeadsRead;
  if (s == "reports:read") return kReportsRead;
  if (s == "pii:read") return kPiiRead;
  return std::nullopt;
}

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

Result<std::map<std::string, Caller>> parse_tokens(const std::string& yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const std::exception& e) {
    return Error{"query.tokens", std::string("not YAML: ") + e.what()};
  }
  const auto list = root["tokens"];
  if (!list || !list.IsSequence())
    return Error{"query.tokens", "expected a list under 'tokens:' (see docs/security.md)"};
  std::map<std::string, Caller> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const auto e = list[i];
    const std::string at = "tokens[" + std::to_string(i) + "]";
    if (!e.IsMap())
      return Error{"query.tokens", at + ": expected name, scopes and sha256 or token"};
    Caller c;
    c.name = e["name"] ? e["name"].as<std::string>("") : "";
    if (c.name.empty()) return Error{"query.tokens", at + ".name: missing (it names the caller)"};
    if (!e["scopes"] || !e["scopes"].IsSequence())
      return Error{"query.tokens", at + ".scopes: expected a list such as [leads:read]"};
    for (const auto& s : e["scopes"]) {
      auto sc = scope_of(s.as<std::string>(""));
      if (!sc)
        return Error{"query.tokens", at + ".scopes: '" + s.as<std::string>("") +
                                         "' is not one of leads:read, reports:read, pii:read"};
      c.scopes |= *sc;
    }
    std::string hash;
    if (e["sha256"]) {
      hash = e["sha256"].as<std::string>("");
      for (auto& ch : hash) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!is_hex64(hash))
        return Error{"query.tokens",
                     at + ".sha256: expected 64 hex digits (sha256sum of the token)"};
    } else if (e["token"]) {
      const auto token = e["token"].as<std::string>("");
      if (token.size() < 16)
        return Error{"query.tokens", at + ".token: shorter than 16 characters"};
      hash = sha256_hex(token);
    } else {
      return Error{"query.tokens", at + ": needs sha256 (preferred) or token"};
    }
    if (!out.emplace(hash, c).second)
      return Error{"query.tokens", at + ": the same token as an earlier entry"};
  }
  return out;
}

Result<std::unique_ptr<TokenStore>> TokenStore::open(std::filesystem::path path) {
  std::unique_ptr<TokenStore> s(new TokenStore(std::move(path)));
  if (auto st = s->load(); !st) return st.error();
  return s;
}

Status TokenStore::load() {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path_, ec);
  std::ifstream in(path_);
  if (ec || !in)
    return Error{"runtime.query.token_file", "cannot read '" + path_.string() +
                                                 "' (mount the tokens Secret there, or unset "
                                                 "runtime.query.token_file to turn queries off)"};
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = parse_tokens(ss.str());
  if (!parsed)
    return Error{"runtime.query.token_file", "'" + path_.string() + "': " + parsed.error().message};
  std::lock_guard lk(mu_);
  by_hash_ = std::move(parsed.value());
  mtime_ = mtime;
  size_ = size;
  return Status::ok();
}

bool TokenStore::reload_if_changed() {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path_, ec);
  {
    std::lock_guard lk(mu_);
    if (!ec && mtime == mtime_ && size == size_) return false;
  }
  if (auto st = load(); !st) {
    log::error("query tokens not reloaded: keeping the previous ones", {{"error", st.message()}});
    std::lock_guard lk(mu_);
    mtime_ = mtime;  // one log line per change, not one per poll
    size_ = size;
    return false;
  }
  log::info("query tokens reloaded", {{"tokens", std::to_string(this->size())}});
  return true;
}

std::optional<Caller> TokenStore::authenticate(std::string_view token) const {
  if (token.empty() || token.size() > 1024) return std::nullopt;
  const auto h = sha256_hex(token);
  std::lock_guard lk(mu_);
  auto it = by_hash_.find(h);
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

size_t TokenStore::size() const {
  std::lock_guard lk(mu_);
  return by_hash_.size();
}

}  // namespace baton::runtime::query
