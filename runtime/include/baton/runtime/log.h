// Structured logs: one JSON object per line on stderr. Never pass lead PII
// (email, name, phone) to these functions at info level or above.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace baton::runtime::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

using Field = std::pair<std::string_view, std::string>;

void set_service(std::string service);
void set_level(Level level);
Level parse_level(std::string_view s, Level def);
void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::error, m, f);
}

}  // namespace baton::runtime::log
