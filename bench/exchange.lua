-- POST /oauth/token, RFC 8693 token exchange of a workload token (the form, url-encoded, from the environment)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("EXCHANGE_FORM")
