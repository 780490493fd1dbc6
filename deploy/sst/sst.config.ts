/// <reference path="./.sst/platform/config.d.ts" />

// Production shape of the Acme dashboard (PRODUCT.md §6, issue 7):
// CloudFront Router (+WAF) -> /api/*, /admin/* -> Lambda function URL (Python, Mangum)
//                          -> /*               -> S3 static site (frontend/dist)
// Lambda -> RDS Proxy -> Aurora Serverless v2 PostgreSQL, all inside one VPC.
//
// The Lambda code is the bundle that `scripts/lambda_bundle.sh` builds into
// build/lambda/python (the same artefact the emulator test runs), so SST does not
// build Python itself.

type StageConfig = {
  acu: { min: `${number} ACU`; max: `${number} ACU` };
  // Pinned so that the "connections > 80 %" alarm has an exact denominator.
  maxConnections: number;
  replicas: number;
  backupDays: number;
  memory: `${number} MB`;
  reserved: number;
  provisioned: number;
  logRetention: "1 week" | "1 month";
};

const STAGES: Record<"staging" | "production", StageConfig> = {
  staging: {
    acu: { min: "0.5 ACU", max: "2 ACU" },
    maxConnections: 180,
    replicas: 0,
    backupDays: 7,
    memory: "1024 MB",
    reserved: 10,
    provisioned: 0,
    logRetention: "1 week",
  },
  production: {
    acu: { min: "1 ACU", max: "4 ACU" },
    maxConnections: 400,
    replicas: 1, // a reader in a second AZ = Multi-AZ failover target
    backupDays: 30,
    memory: "2048 MB",
    reserved: 100,
    provisioned: 2,
    logRetention: "1 month",
  },
};

export default $config({
  app(input) {
    return {
      name: "acme-dashboard",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
      providers: { aws: { region: (process.env.AWS_REGION ?? "eu-west-1") as aws.Region } },
    };
  },
  async run() {
    const { execSync } = await import("node:child_process");
    const { createHash } = await import("node:crypto");
    const path = await import("node:path");

    const isProd = $app.stage === "production";
    const cfg = isProd ? STAGES.production : STAGES.staging;
    const repoRoot = path.resolve(process.cwd(), "../..");
    const bundleDir = path.join(repoRoot, "build/lambda/python");

    // Build the Python bundle for Lambda (python3.12, x86_64 manylinux wheels).
    if (!process.env.SKIP_LAMBDA_BUNDLE) {
      execSync("bash scripts/lambda_bundle.sh", { cwd: repoRoot, stdio: "inherit" });
    }

    // ---- secrets ---------------------------------------------------------------
    const secretKey = new sst.Secret("SecretKey");
    // CloudFront adds this header to every request; the function refuses requests
    // without it, so the public function URL cannot be used to bypass the WAF.
    const originVerify = secretKey.value.apply((v) =>
      createHash("sha256").update(`origin-verify:${v}`).digest("hex"),
    );

    // ---- network and database -----------------------------------------------------
    // No NAT: the function only talks to the database (inside the VPC); logs and
    // EMF metrics leave through the Lambda service, not through the VPC.
    const vpc = new sst.aws.Vpc("Vpc", { az: 2 });

    const database = new sst.aws.Aurora("Database", {
      engine: "postgres",
      version: "15",
      database: "acme",
      vpc,
      proxy: true,
      scaling: { min: cfg.acu.min, max: cfg.acu.max },
      replicas: cfg.replicas,
      transform: {
        cluster: (args) => {
          args.backupRetentionPeriod = cfg.backupDays;
          args.preferredBackupWindow = "02:00-03:00";
          args.preferredMaintenanceWindow = "sun:03:00-sun:04:00";
          args.deletionProtection = isProd;
          args.skipFinalSnapshot = !isProd;
          if (isProd) args.finalSnapshotIdentifier = `${$app.name}-${$app.stage}-final`;
          args.copyTagsToSnapshot = true;
        },
        instance: (args) => {
          args.performanceInsightsEnabled = isProd;
        },
        instanceParameterGroup: (args) => {
          args.parameters = [
            {
              name: "max_connections",
              value: String(cfg.maxConnections),
              applyMethod: "pending-reboot",
            },
          ];
        },
        proxy: (args) => {
          args.requireTls = true;
          args.idleClientTimeout = 1800;
        },
      },
    });

    const databaseUrl = $interpolate`postgresql://${database.username}:${database.password.apply(
      encodeURIComponent,
    )}@${database.host}:${database.port}/${database.database}?sslmode=require`;

    // ---- CloudFront router + WAF ---------------------------------------------------
    const router = new sst.aws.Router("Router", {
      waf: {
        rateLimitPerIp: 2000, // per 5 minutes per IP
        managedRules: { coreRuleSet: false, sqlInjection: true, knownBadInputs: true },
      },
      edge: {
        viewerRequest: {
          injection: $interpolate`event.request.headers["x-origin-verify"] = { value: "${originVerify}" };`,
        },
      },
      transform: {
        // CloudFront never forwards `Authorization` through an origin request policy;
        // it must be part of the cache key. Responses are cached only when the origin
        // says so (default TTL 0): the API sends no-store, the static site sends
        // immutable for hashed assets and no-cache for HTML.
        cachePolicy: (args) => {
          args.parametersInCacheKeyAndForwardedToOrigin = {
            cookiesConfig: { cookieBehavior: "none" },
            headersConfig: {
              headerBehavior: "whitelist",
              headers: {
                items: ["authorization", "x-forwarded-host", "x-open-next-cache-key"],
              },
            },
            queryStringsConfig: { queryStringBehavior: "all" },
            enableAcceptEncodingBrotli: true,
            enableAcceptEncodingGzip: true,
          };
        },
      },
    });
    const publicHost = router.url.apply((u) => new URL(u).host);

    // ---- the API function ------------------------------------------------------------
    const common = {
      runtime: "python3.12" as const,
      architecture: "x86_64" as const,
      bundle: bundleDir,
      vpc,
      link: [database, secretKey],
      environment: {
        APP_ENV: "production",
        DATABASE_URL: databaseUrl,
        DB_STATEMENT_CACHE_SIZE: "0", // RDS Proxy pins connections with prepared statements
        SECRET_KEY: secretKey.value,
        ALLOWED_HOSTS: publicHost,
        ORIGIN_VERIFY_SECRET: originVerify,
      },
    };

    const api = new sst.aws.Function("Api", {
      ...common,
      handler: "src/http/lambda_handler.handler",
      memory: cfg.memory,
      timeout: "30 seconds",
      concurrency: { reserved: cfg.reserved },
      versioning: true,
      logging: { retention: cfg.logRetention, format: "text" },
    });

    // ---- migrations on every deploy --------------------------------------------------
    const migrator = new sst.aws.Function("Migrator", {
      ...common,
      handler: "src/ops/lambda_migrator.handler",
      memory: "512 MB",
      timeout: "5 minutes",
      concurrency: { reserved: 1 },
      logging: { retention: cfg.logRetention, format: "text" },
    });

    // The input changes on every deploy, so Pulumi invokes the migrator every time.
    // A failed migration fails the deploy before the `live` alias moves (below).
    const migration = new aws.lambda.Invocation(
      "MigrateOnDeploy",
      {
        functionName: migrator.name,
        input: JSON.stringify({ command: "migrate", deployedAt: new Date().toISOString() }),
      },
      { dependsOn: [database] },
    );

    // The function URL and provisioned concurrency target the `live` alias: SST's own
    // `url` would point at $LATEST and never use the provisioned (published) version.
    const live = new aws.lambda.Alias(
      "ApiLive",
      {
        name: "live",
        functionName: api.name,
        functionVersion: api.nodes.function.version,
      },
      { dependsOn: [migration] },
    );
    if (cfg.provisioned > 0) {
      new aws.lambda.ProvisionedConcurrencyConfig("ApiProvisioned", {
        functionName: api.name,
        qualifier: live.name,
        provisionedConcurrentExecutions: cfg.provisioned,
      });
    }
    const apiUrl = new aws.lambda.FunctionUrl("ApiUrl", {
      functionName: api.name,
      qualifier: live.name,
      authorizationType: "NONE",
      invokeMode: "BUFFERED",
    });
    new aws.lambda.Permission("ApiUrlInvokeUrl", {
      action: "lambda:InvokeFunctionUrl",
      function: api.name,
      qualifier: live.name,
      principal: "*",
      functionUrlAuthType: "NONE",
    });
    new aws.lambda.Permission("ApiUrlInvokeFunction", {
      action: "lambda:InvokeFunction",
      function: api.name,
      qualifier: live.name,
      principal: "*",
      invokedViaFunctionUrl: true,
    });

    // Router does not strip prefixes: the app serves /api/* and /admin/* itself.
    for (const prefix of ["/api", "/admin"]) {
      router.route(prefix, apiUrl.functionUrl, { readTimeout: "30 seconds" });
    }

    // ---- static frontend -------------------------------------------------------------
    new sst.aws.StaticSite("Web", {
      path: "../../frontend",
      build: { command: "npm ci && npm run build", output: "dist" },
      router: { instance: router },
      assets: {
        // Later entries win.
        fileOptions: [
          { files: "**", cacheControl: "public,max-age=3600" },
          { files: "assets/**", cacheControl: "public,max-age=31536000,immutable" },
          { files: "**/*.html", cacheControl: "no-cache" },
        ],
      },
    });

    // ---- alarms -> SNS -------------------------------------------------------------
    const alerts = new sst.aws.SnsTopic("Alerts");
    // Pass ALERT_EMAIL on every deploy (a CI variable): a deploy without it removes the
    // subscription again.
    if (process.env.ALERT_EMAIL) {
      new aws.sns.TopicSubscription("AlertsEmail", {
        topic: alerts.arn,
        protocol: "email",
        endpoint: process.env.ALERT_EMAIL,
      });
    }
    const alarmActions = [alerts.arn];
    const fn = { FunctionName: api.name };

    new aws.cloudwatch.MetricAlarm("ApiErrorRate", {
      alarmDescription: "API function error rate above 5 % over 5 minutes",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      alarmActions,
      okActions: alarmActions,
      metricQueries: [
        {
          id: "errors",
          metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: fn, period: 300, stat: "Sum" },
        },
        {
          id: "invocations",
          metric: { namespace: "AWS/Lambda", metricName: "Invocations", dimensions: fn, period: 300, stat: "Sum" },
        },
        {
          id: "rate",
          expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
          label: "Error rate (%)",
          returnData: true,
        },
      ],
    });

    new aws.cloudwatch.MetricAlarm("ApiP95Duration", {
      alarmDescription: "API function p95 duration above 1 s for 3 of 5 minutes",
      namespace: "AWS/Lambda",
      metricName: "Duration",
      dimensions: fn,
      extendedStatistic: "p95",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: 1000,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions,
      okActions: alarmActions,
    });

    new aws.cloudwatch.MetricAlarm("Api5xx", {
      alarmDescription: "More than 10 HTTP 5xx responses from the API in a minute",
      namespace: "AWS/Lambda",
      metricName: "Url5xxCount",
      dimensions: fn,
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 10,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions,
      okActions: alarmActions,
    });

    new aws.cloudwatch.MetricAlarm("DatabaseConnections", {
      alarmDescription: `Writer connections above 80 % of max_connections (${cfg.maxConnections})`,
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      dimensions: { DBClusterIdentifier: database.id, Role: "WRITER" },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      threshold: Math.floor(cfg.maxConnections * 0.8),
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions,
      okActions: alarmActions,
    });

    return {
      url: router.url,
      functionUrl: apiUrl.functionUrl,
      api: api.name,
      migrator: migrator.name,
      alerts: alerts.arn,
      databaseHost: database.host,
    };
  },
});
