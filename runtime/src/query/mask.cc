#include "query/mask.h"

#include <nlohmann/json.hpp>
#include <set>

namespace baton::runtime::query {
namespace {

enum class Kind { kNone, kEmail, kPhone, kName };

Kind kind_of(const std::string& key) {
  static const std::set<std::string> kEmail{"email", "email_address", "emailAddress"};
  static const std::set<std::string> kPhone{"phone", "mobile", "phone_number", "phoneNumber"};
  static const std::set<std::string> kName{"first_name",   "last_name",  "full_name",
                                           "firstName",    "lastName",   "fullName",
                                           "contact_name", "contactName"};
  if (kEmail.count(key)) return Kind::kEmail;
  if (kPhone.count(key)) return Kind::kPhone;
  if (kName.count(key)) return Kind::kName;
  return Kind::kNone;
}

bool looks_like_email(const std::string& s) {
  const auto at = s.find('@');
  return at != std::string::npos && at > 0 && s.find('.', at) != std::string::npos &&
         s.find(' ') == std::string::npos && s.find('@', at + 1) == std::string::npos;
}

void walk(nlohmann::json& j, Kind inherited) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) walk(it.value(), kind_of(it.key()));
  } else if (j.is_array()) {
    for (auto& e : j) walk(e, inherited);
  } else if (j.is_string()) {
    const auto s = j.get<std::string>();
    if (s.empty()) return;
    switch (inherited) {
      case Kind::kEmail:
        j = mask_email(s);
        return;
      case Kind::kPhone:
        j = mask_phone(s);
        return;
      case Kind::kName:
        j = mask_name(s);
        return;
      case Kind::kNone:
        if (looks_like_email(s)) j = mask_email(s);
        return;
    }
  }
}

}  // namespace

std::string mask_email(const std::string& email) {
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0) return "***";
  return email.substr(0, 1) + "***" + email.substr(at);
}

std::string mask_phone(const std::string& phone) {
  std::string digits;
  for (char c : phone)
    if (c >= '0' && c <= '9') digits += c;
  return "***" + (digits.size() > 4 ? digits.substr(digits.size() - 2) : std::string());
}

std::string mask_name(const std::string& name) {
  // The first character (a whole UTF-8 sequence), then ***.
  size_t n = 1;
  const auto c = static_cast<unsigned char>(name[0]);
  if (c >= 0xF0)
    n = 4;
  else if (c >= 0xE0)
    n = 3;
  else if (c >= 0xC0)
    n = 2;
  return name.substr(0, std::min(n, name.size())) + "***";
}

std::string mask_json(const std::string& json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return json_text;
  walk(j, Kind::kNone);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace baton::runtime::query
