#include "baton/roster/roster_yaml.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <set>
#include <sstream>

#include "baton/time/rfc3339.h"
#include "baton/time/time.h"

namespace baton::roster {
namespace {

using runtime::Error;
using runtime::Result;

std::string one_line(std::string text) {  // yaml-cpp messages may span lines
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

struct Reader {
  std::string where;  // "reps.yaml: reps[2]"
  std::string error;
  bool failed() const { return !error.empty(); }
  void fail(const std::string& field, const std::string& msg) {
    if (error.empty()) error = where + "." + field + ": " + msg;
  }
  std::string str(const YAML::Node& n, const std::string& key, bool required) {
    auto v = n[key];
    if (!v) {
      if (required) fail(key, "required");
      return {};
    }
    if (!v.IsScalar()) {
      fail(key, "expected text");
      return {};
    }
    return v.as<std::string>();
  }
  std::vector<std::string> list(const YAML::Node& n, const std::string& key) {
    std::vector<std::string> out;
    auto v = n[key];
    if (!v) return out;
    if (v.IsScalar()) return {v.as<std::string>()};
    if (!v.IsSequence()) {
      fail(key, "expected a list");
      return out;
    }
    for (const auto& item : v) out.push_back(item.as<std::string>());
    return out;
  }
  template <typename T>
  T num(const YAML::Node& n, const std::string& key, T def, T min) {
    auto v = n[key];
    if (!v) return def;
    T out{};
    if (!v.IsScalar() || !YAML::convert<T>::decode(v, out) || out < min) {
      fail(key, "expected a number >= " + std::to_string(min) + ", got '" +
                    (v.IsScalar() ? v.Scalar() : std::string("non-scalar")) + "'");
      return def;
    }
    return out;
  }
  int minute(const YAML::Node& n, const std::string& key, int def) {
    auto v = n[key];
    if (!v) return def;
    unsigned h = 0, m = 0;
    char extra = 0;
    std::string text = v.IsScalar() ? v.Scalar() : "";
    if (std::sscanf(text.c_str(), "%u:%u%c", &h, &m, &extra) != 2 || h > 24 || m > 59 ||
        (h == 24 && m != 0)) {
      fail("working_hours." + key, "expected HH:MM like 08:30, got '" + text + "'");
      return def;
    }
    return static_cast<int>(h * 60 + m);
  }
};

Result<YAML::Node> load(const std::string& text, const std::string& origin, const char* key) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Error{"input.yaml", one_line(origin + ": not valid YAML: " + e.what())};
  }
  if (!root.IsMap() || !root[key] || !root[key].IsSequence())
    return Error{"input.yaml", origin + ": expected a top-level '" + key + ":' list"};
  return root[key];
}

}  // namespace

Result<std::vector<v1::Rep>> parse_reps_yaml(const std::string& text, const std::string& origin,
                                             std::vector<std::string>* warnings) {
  auto list = load(text, origin, "reps");
  if (!list) return list.error();
  std::vector<v1::Rep> reps;
  std::set<std::string> ids;
  try {
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node n = (*list)[i];
      Reader rd{origin + ": reps[" + std::to_string(i) + "]", {}};
      if (!n.IsMap()) return Error{"input.yaml", rd.where + ": expected a map"};
      v1::Rep r;
      r.set_id(rd.str(n, "id", true));
      if (!r.id().empty()) rd.where = origin + ": reps[" + std::to_string(i) + "] (" + r.id() + ")";
      if (!r.id().empty() && !ids.insert(r.id()).second) rd.fail("id", "duplicate id " + r.id());
      r.set_name(rd.str(n, "name", false));
      r.set_manager_id(rd.str(n, "manager", false));
      if (n["manager_id"]) {  // the old key: read, with a warning
        if (warnings) warnings->push_back(rd.where + ".manager_id: deprecated, use manager");
        if (r.manager_id().empty()) r.set_manager_id(rd.str(n, "manager_id", false));
      }
      for (auto& p : rd.list(n, "pools")) r.add_pools(p);
      if (r.pools_size() == 0) rd.fail("pools", "at least one pool is required");
      r.set_time_zone(rd.str(n, "time_zone", true));
      if (auto wh = n["working_hours"]) {
        for (auto& d : rd.list(wh, "days")) {
          int day = 0;
          if (std::sscanf(d.c_str(), "%d", &day) != 1 || day < 1 || day > 7)
            rd.fail("working_hours.days",
                    "expected days 1 (Monday) .. 7 (Sunday), got '" + d + "'");
          r.mutable_working_hours()->add_days(day);
        }
        r.mutable_working_hours()->set_start_minute(rd.minute(wh, "start", 9 * 60));
        r.mutable_working_hours()->set_end_minute(rd.minute(wh, "end", 17 * 60));
      }
      r.set_holiday_calendar_id(rd.str(n, "holiday_calendar", false));
      for (auto& h : rd.list(n, "holidays")) r.add_holidays(h);
      r.set_capacity(rd.num<int>(n, "capacity", 0, 0));
      r.set_daily_cap(rd.num<int>(n, "daily_cap", 0, 0));
      r.set_weight(rd.num<double>(n, "weight", 1.0, 0.0));
      for (auto& l : rd.list(n, "languages")) r.add_languages(l);
      r.set_active(n["active"] ? n["active"].as<bool>() : true);
      if (auto ooo = n["out_of_office"]) {
        for (size_t k = 0; k < ooo.size(); ++k) {
          auto* o = r.add_out_of_office();
          for (const char* key : {"from", "until"}) {
            auto text = rd.str(ooo[k], key, true);
            auto* ts = std::string(key) == "from" ? o->mutable_from() : o->mutable_until();
            if (text.empty()) continue;
            if (auto t = time::parse_rfc3339(text))
              *ts = time::to_timestamp(*t);
            else
              rd.fail("out_of_office[" + std::to_string(k) + "]." + key,
                      "expected an RFC 3339 time like 2025-01-31T09:30:00Z, got '" + text + "'");
          }
        }
      }
      if (rd.failed()) return Error{"input.yaml", one_line(rd.error)};
      reps.push_back(std::move(r));
    }
  } catch (const YAML::Exception& e) {
    return Error{"input.yaml", one_line(origin + ": " + e.what())};
  }
  return reps;
}

Result<std::vector<v1::Account>> parse_accounts_yaml(const std::string& text,
                                                     const std::string& origin) {
  auto list = load(text, origin, "accounts");
  if (!list) return list.error();
  std::vector<v1::Account> accounts;
  try {
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node n = (*list)[i];
      Reader rd{origin + ": accounts[" + std::to_string(i) + "]", {}};
      if (!n.IsMap()) return Error{"input.yaml", rd.where + ": expected a map"};
      v1::Account a;
      a.set_id(rd.str(n, "id", true));
      a.set_name(rd.str(n, "name", false));
      for (auto& d : rd.list(n, "domains")) a.add_domains(d);
      if (a.domains_size() == 0) rd.fail("domains", "at least one domain is required");
      a.set_owner_rep_id(rd.str(n, "owner", true));
      if (rd.failed()) return Error{"input.yaml", one_line(rd.error)};
      accounts.push_back(std::move(a));
    }
  } catch (const YAML::Exception& e) {
    return Error{"input.yaml", one_line(origin + ": " + e.what())};
  }
  return accounts;
}

std::string reps_to_yaml(const std::vector<v1::Rep>& reps) {
  auto hhmm = [](int minute) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
    return std::string(buf);
  };
  auto join = [](const auto& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + std::string(i);
    return "[" + s + "]";
  };
  std::ostringstream out;
  out << "# Sales reps: one entry per rep (baton roster load FILE).\nreps:\n";
  for (const auto& r : reps) {
    out << "  - id: " << r.id() << "\n    name: " << r.name() << "\n    manager: " << r.manager_id()
        << "\n    pools: " << join(r.pools()) << "\n    time_zone: " << r.time_zone() << "\n";
    std::vector<std::string> days;
    for (int d : r.working_hours().days()) days.push_back(std::to_string(d));
    out << "    working_hours: {days: " << join(days) << ", start: \""
        << hhmm(r.working_hours().start_minute()) << "\", end: \""
        << hhmm(r.working_hours().end_minute()) << "\"}\n";
    out << "    capacity: " << r.capacity() << "\n    daily_cap: " << r.daily_cap()
        << "\n    weight: " << r.weight() << "\n    languages: " << join(r.languages()) << "\n";
    if (r.holidays_size() > 0) {
      std::vector<std::string> h;
      for (const auto& d : r.holidays()) h.push_back("\"" + d + "\"");
      out << "    holidays: " << join(h) << "\n";
    }
    if (r.out_of_office_size() > 0) {
      out << "    out_of_office:\n";
      for (const auto& o : r.out_of_office())
        out << "      - {from: \"" << time::format_rfc3339(time::from_timestamp(o.from()))
            << "\", until: \"" << time::format_rfc3339(time::from_timestamp(o.until())) << "\"}\n";
    }
    out << "    active: " << (r.active() ? "true" : "false") << "\n";
  }
  return out.str();
}

}  // namespace baton::roster
