#pragma once
// Result<T>: the value-or-error type every expected failure in Showroom travels in.
//
// Rules:
//  - Functions that can fail for reasons a user can cause or fix (bad input, a locked database, a
//    missing record) return Result<T>; exceptions never cross a public API.
//  - An Error carries a machine-readable ErrorCode and a human message written for the person who
//    will read it (a porter, a manager, an engineer reading a log); no stack traces, no SQL.
//  - Accessing value() of a failed Result (or error() of a good one) is a programming error and
//    aborts in debug builds.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace showroom::core {

enum class ErrorCode {
    InvalidInput,      ///< malformed or out-of-range input (exit code 2 in the CLI)
    NotFound,          ///< the record asked for does not exist
    Duplicate,         ///< a unique thing (VIN, stock number, e-mail) already exists
    InvalidTransition, ///< a status or stage change the rules do not allow
    Conflict,          ///< the request clashes with the record's state (a sold VIN checked in again)
    Denied,            ///< wrong PIN, locked account, or a role that may not do this
    Busy,              ///< the database is locked by someone else beyond the busy timeout
    NotADatabase,      ///< the file is not an SQLite database (or is corrupt)
    SchemaTooNew,      ///< the database was written by a newer Showroom than this binary
    Storage,           ///< any other SQLite failure
    Io,                ///< file system failure
    Internal,          ///< a bug: an invariant did not hold
};

/// Stable lowercase name of an error code ("invalid_input", ...), used in JSON output and logs.
std::string_view toString(ErrorCode code) noexcept;

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

/// Builds an Error; reads well at call sites: `return fail(ErrorCode::NotFound, "no vehicle " + id);`
inline Error fail(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_state); }
    const T& value() const& { assert(ok()); return std::get<0>(m_state); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const noexcept { return !m_failed; }
    explicit operator bool() const noexcept { return ok(); }
    const Error& error() const { assert(m_failed); return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

using Status = Result<void>;

} // namespace showroom::core

/// Propagates the error of a Result-returning expression out of the enclosing function.
#define SHOWROOM_TRY(expr)                                                                                             \
    do {                                                                                                               \
        auto&& showroom_try_result_ = (expr);                                                                          \
        if (!showroom_try_result_) return showroom_try_result_.error();                                                \
    } while (0)
