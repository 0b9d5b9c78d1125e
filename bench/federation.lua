-- POST /oauth/token: a workload's JWT exchanged (jwt-bearer) for the service account CLIENT_ID (from the environment)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=" .. os.getenv("CLIENT_ID")
  .. "&assertion=" .. os.getenv("ASSERTION")
