#include "api/json_io.hpp"

#include "http/form.hpp"

namespace sillypaste::api {

http::Response json_response(unsigned status, const json::value& body) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = json::serialize(body);
  response.add_header("Vary", "Accept, Authorization, Cookie");
  return response;
}

http::Response detail(unsigned status, std::string_view message) {
  return json_response(status, json::object{{"detail", message}});
}

http::Response field_errors(const core::FieldErrors& errors) {
  json::object body;
  for (const auto& [field, messages] : errors) {
    json::array list;
    for (const auto& message : messages) {
      list.emplace_back(message);
    }
    body[field] = std::move(list);
  }
  return json_response(400, body);
}

http::Response method_not_allowed(const web::Context& ctx, std::string_view allowed) {
  auto response = detail(405, "Method \"" + ctx.request.method + "\" not allowed.");
  response.add_header("Allow", std::string(allowed));
  return response;
}

std::variant<json::object, http::Response> read_object(const web::Context& ctx) {
  const auto type = ctx.request.header("content-type").value_or("application/json");
  if (type.starts_with("application/x-www-form-urlencoded")) {
    const auto parsed = http::parse_form(ctx.request.body);
    if (!parsed.ok()) {
      return detail(400, "The form data could not be decoded: " + http::describe(parsed.error) +
                             ".");
    }
    json::object object;
    for (const auto& [name, value] : parsed.fields) {
      object[name] = value;
    }
    return object;
  }
  if (!type.starts_with("application/json")) {
    return detail(415, "Unsupported media type \"" + std::string(type) +
                           "\" in request: use application/json.");
  }
  boost::system::error_code error;
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::value value = json::parse(ctx.request.body, error, {}, options);
  if (error == json::error::too_deep) {
    return detail(400, "JSON nested too deeply (at most " + std::to_string(kMaxJsonDepth) +
                           " levels).");
  }
  if (error) {
    return detail(400, "JSON parse error - " + error.message());
  }
  if (!value.is_object()) {
    return json_response(
        400, json::object{{"non_field_errors",
                           json::array{"Invalid data. Expected a dictionary, but got " +
                                       std::string(json::to_string(value.kind())) + "."}}});
  }
  return std::move(value.as_object());
}

}  // namespace sillypaste::api
