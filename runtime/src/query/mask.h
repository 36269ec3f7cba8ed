// Masks a lead's contact fields in a query response for callers without
// the pii:read scope: email "j***@example.com", phone "***12", names "J***".
// Fields are found by name (snake_case and lowerCamelCase) anywhere in the
// JSON; any other string that is an email address is masked as well.
#pragma once

#include <string>

namespace baton::runtime::query {

std::string mask_email(const std::string& email);
std::string mask_phone(const std::string& phone);
std::string mask_name(const std::string& name);

// The JSON text with its contact fields masked; text that is not JSON is
// returned as it is.
std::string mask_json(const std::string& json_text);

}  // namespace baton::runtime::query
