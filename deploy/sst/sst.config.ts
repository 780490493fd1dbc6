/// <reference path="./.sst/platform/config.d.ts" />

// Production shape of the Acme dashboard (PRODUCT.md §6, issues 7 and 14; docs/deploy.md).
//
// CloudFront Router (+ WAF, logged; security headers; IPv6; TLS 1.2+ on a custom domain)
//   /api/*, /admin/*, /health, /ready, /schema* -> Lambda function URL
//                                                     (alias `live`, Python, Mangum)
//   /*  -> S3 static site (frontend/dist; versioned; old hashed assets kept)
// Lambda (in a VPC, no NAT) -> [RDS Proxy, production] -> Aurora Serverless v2 PostgreSQL 15
// Secrets in Secrets Manager (read by the function at start through a VPC endpoint);
// the API connects as a DML-only role, the migrator as the owner.
// CloudWatch: two dashboards, alarms -> SNS (e-mail); AWS Budgets per stage; cost tags.
//
// The Lambda code is the bundle that `scripts/lambda_bundle.sh` builds into
// build/lambda/python (the same artefact the emulator tests run), so SST does not build
// Python itself.

type StageConfig = {
  acu: { min: `${number} ACU`; max: `${number} ACU` };
  // Aurora pauses after this long without connections (staging only: needs min 0 ACU).
  pauseAfter?: "5 minutes";
  // RDS Proxy: production only. Staging's 10 functions x 2 connections fit the database, and
  // without the proxy the cluster may pause (a proxy keeps it awake and costs $88/month).
  proxy: boolean;
  // Pinned so that the "connections > 80 %" alarm has an exact denominator.
  maxConnections: number;
  replicas: number;
  backupDays: number;
  memory: `${number} MB`;
  reserved: number;
  provisioned: number;
  logRetention: "1 week" | "1 month";
  budgetUsd: number;
};

const STAGES: Record<"staging" | "production", StageConfig> = {
  staging: {
    acu: { min: "0 ACU", max: "2 ACU" },
    pauseAfter: "5 minutes",
    proxy: false,
    maxConnections: 180,
    replicas: 0,
    backupDays: 7,
    memory: "1024 MB",
    reserved: 10,
    provisioned: 0,
    logRetention: "1 week",
    budgetUsd: 80,
  },
  production: {
    acu: { min: "1 ACU", max: "4 ACU" },
    proxy: true,
    maxConnections: 400,
    replicas: 1, // a reader in a second AZ = Multi-AZ failover target
    backupDays: 30,
    memory: "2048 MB",
    reserved: 100,
    provisioned: 2,
    logRetention: "1 month",
    budgetUsd: 450,
  },
};

// The app's own security headers (src/http/security.py), for what CloudFront serves from S3.
// tests/lambda/test_deploy_config.py checks that these are the app's values.
const SECURITY_HEADERS = {
  contentSecurityPolicy:
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  strictTransportSecurity: { maxAgeSeconds: 63072000, includeSubdomains: true },
  frameOptions: "DENY",
  referrerPolicy: "strict-origin-when-cross-origin",
  permissionsPolicy: "camera=(), microphone=(), geolocation=()",
  crossOriginOpenerPolicy: "same-origin",
} as const;

// Paths the function answers; everything else is the static site.
const FUNCTION_ROUTES = ["/api", "/admin", "/health", "/ready", "/schema"];
const APP_ROLE = "acme_app";

export default $config({
  app(input) {
    return {
      name: "acme-dashboard",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
      providers: {
        aws: {
          region: (process.env.AWS_REGION ?? "eu-west-1") as aws.Region,
          // Cost allocation tags: every resource says which app and stage it belongs to.
          defaultTags: { tags: { Project: "acme-dashboard", Stage: input?.stage ?? "unknown" } },
        },
      },
    };
  },
  async run() {
    const { execSync } = await import("node:child_process");
    const { createHash } = await import("node:crypto");
    const path = await import("node:path");

    const isProd = $app.stage === "production";
    const cfg = isProd ? STAGES.production : STAGES.staging;
    const prefix = `${$app.name}-${$app.stage}`;
    const proxyName = `${prefix}-proxy`;
    const repoRoot = path.resolve(process.cwd(), "../..");
    const bundleDir = path.join(repoRoot, "build/lambda/python");
    const region = aws.getRegionOutput().name;
    const alertEmail = process.env.ALERT_EMAIL;
    const domain = process.env.APP_DOMAIN; // e.g. dashboard.example.com (zone in Route 53)

    // Build the Python bundle for Lambda (python3.12, x86_64 manylinux wheels).
    if (!process.env.SKIP_LAMBDA_BUNDLE) {
      execSync("bash scripts/lambda_bundle.sh", { cwd: repoRoot, stdio: "inherit" });
    }

    // ---- secrets ---------------------------------------------------------------
    // Set once per stage with `npx sst secret set <Name> <value> --stage <stage>`.
    const secretKey = new sst.Secret("SecretKey");
    const appDbPassword = new sst.Secret("DbAppPassword");
    // CloudFront adds this header to every request; the function refuses requests
    // without it, so the public function URL cannot be used to bypass the WAF.
    const originVerify = secretKey.value.apply((v) =>
      createHash("sha256").update(`origin-verify:${v}`).digest("hex"),
    );

    // ---- network and database -----------------------------------------------------
    // No NAT: the function talks to the database and, through an interface endpoint, to
    // Secrets Manager. Logs and EMF metrics leave through the Lambda service.
    const vpc = new sst.aws.Vpc("Vpc", { az: 2 });

    const database = new sst.aws.Aurora("Database", {
      engine: "postgres",
      version: "15.10", // auto-pause (staging) needs 15.7 or later
      database: "acme",
      vpc,
      proxy: cfg.proxy
        ? { credentials: [{ username: APP_ROLE, password: appDbPassword.value }] }
        : false,
      scaling: { min: cfg.acu.min, max: cfg.acu.max, pauseAfter: cfg.pauseAfter },
      replicas: cfg.replicas,
      transform: {
        cluster: (args) => {
          args.backupRetentionPeriod = cfg.backupDays;
          args.preferredBackupWindow = "02:00-03:00";
          args.preferredMaintenanceWindow = "sun:03:00-sun:04:00";
          args.deletionProtection = isProd;
          args.skipFinalSnapshot = !isProd;
          if (isProd) args.finalSnapshotIdentifier = `${prefix}-final`;
          args.copyTagsToSnapshot = true;
          args.storageEncrypted = true;
          // docs/deploy.md "Restore": RESTORE_FROM_SNAPSHOT points a (new) cluster at a snapshot.
          if (process.env.RESTORE_FROM_SNAPSHOT) {
            args.snapshotIdentifier = process.env.RESTORE_FROM_SNAPSHOT;
          }
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
          args.name = proxyName; // the operations dashboard names it
          args.requireTls = true;
          args.idleClientTimeout = 1800;
        },
      },
    });

    const encode = (v: string) => encodeURIComponent(v);
    const ownerUrl = $interpolate`postgresql://${database.username}:${database.password.apply(
      encode,
    )}@${database.host}:${database.port}/${database.database}?sslmode=require`;
    const appUrl = $interpolate`postgresql://${APP_ROLE}:${appDbPassword.value.apply(
      encode,
    )}@${database.host}:${database.port}/${database.database}?sslmode=require`;

    // What each function reads at start (src/settings.py, APP_SECRETS_ARN). Rotating a value
    // is `sst secret set` + deploy, or `aws secretsmanager put-secret-value` (docs/deploy.md).
    const apiSecrets = new aws.secretsmanager.Secret("ApiSecrets", {
      name: `${prefix}/api`,
      description: "SECRET_KEY and DATABASE_URL (as the DML-only role) of the API function",
      recoveryWindowInDays: isProd ? 7 : 0,
    });
    new aws.secretsmanager.SecretVersion("ApiSecretsValue", {
      secretId: apiSecrets.id,
      secretString: $jsonStringify({ SECRET_KEY: secretKey.value, DATABASE_URL: appUrl }),
    });
    const migratorSecrets = new aws.secretsmanager.Secret("MigratorSecrets", {
      name: `${prefix}/migrator`,
      description: "The owner's DATABASE_URL and the API role's password, for the migrator",
      recoveryWindowInDays: isProd ? 7 : 0,
    });
    new aws.secretsmanager.SecretVersion("MigratorSecretsValue", {
      secretId: migratorSecrets.id,
      secretString: $jsonStringify({
        SECRET_KEY: secretKey.value,
        DATABASE_URL: ownerUrl,
        DB_APP_PASSWORD: appDbPassword.value,
      }),
    });

    // Secrets Manager inside the VPC (private DNS: the usual host name resolves to it).
    const endpointSg = new aws.ec2.SecurityGroup("SecretsEndpointSg", {
      vpcId: vpc.id,
      description: "HTTPS from the functions to the Secrets Manager endpoint",
      ingress: [
        {
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: [vpc.nodes.vpc.cidrBlock],
        },
      ],
    });
    new aws.ec2.VpcEndpoint("SecretsManagerEndpoint", {
      vpcId: vpc.id,
      serviceName: $interpolate`com.amazonaws.${region}.secretsmanager`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: vpc.privateSubnets,
      securityGroupIds: [endpointSg.id],
    });

    // Customer pictures (src/domain/storage.py): a private bucket that the API alone reads and
    // writes, reached from the VPC through S3's gateway endpoint (free; there is no NAT).
    const uploads = new sst.aws.Bucket("Uploads");
    new aws.ec2.VpcEndpoint("S3Endpoint", {
      vpcId: vpc.id,
      serviceName: $interpolate`com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: vpc.nodes.privateRouteTables.apply((tables) => tables.map((t) => t.id)),
    });

    // ---- CloudFront router + WAF ---------------------------------------------------
    const headersPolicy = new aws.cloudfront.ResponseHeadersPolicy("SecurityHeaders", {
      name: `${prefix}-security-headers`,
      comment: "The app's security headers (src/http/security.py) on what S3 serves",
      securityHeadersConfig: {
        // override false: the function's own answers keep its values (the admin and the API
        // docs have their own Content-Security-Policy); S3 answers get these.
        contentSecurityPolicy: {
          contentSecurityPolicy: SECURITY_HEADERS.contentSecurityPolicy,
          override: false,
        },
        strictTransportSecurity: {
          accessControlMaxAgeSec: SECURITY_HEADERS.strictTransportSecurity.maxAgeSeconds,
          includeSubdomains: SECURITY_HEADERS.strictTransportSecurity.includeSubdomains,
          preload: false,
          override: false,
        },
        frameOptions: { frameOption: SECURITY_HEADERS.frameOptions, override: false },
        contentTypeOptions: { override: false },
        referrerPolicy: { referrerPolicy: SECURITY_HEADERS.referrerPolicy, override: false },
      },
      customHeadersConfig: {
        items: [
          {
            header: "Permissions-Policy",
            value: SECURITY_HEADERS.permissionsPolicy,
            override: false,
          },
          {
            header: "Cross-Origin-Opener-Policy",
            value: SECURITY_HEADERS.crossOriginOpenerPolicy,
            override: false,
          },
        ],
      },
    });

    const wafName = `${prefix}-waf`;
    const router = new sst.aws.Router("Router", {
      // With a domain the certificate comes from ACM and CloudFront requires TLSv1.2_2021.
      domain: domain ? { name: domain } : undefined,
      waf: {
        rateLimitPerIp: 2000, // per 5 minutes per IP
        managedRules: { coreRuleSet: false, sqlInjection: true, knownBadInputs: true },
        logging: {
          include: "all",
          retention: cfg.logRetention,
          redact: {
            queryString: true,
            headers: ["cookie", "authorization", "x-csrf-token", "x-origin-verify"],
          },
        },
      },
      edge: {
        viewerRequest: {
          injection: $interpolate`event.request.headers["x-origin-verify"] = { value: "${originVerify}" };`,
        },
      },
      transform: {
        waf: (args) => {
          args.name = wafName; // the dashboards name it
        },
        // Caching follows what each origin says (default TTL 0, max one year):
        //   hashed assets  public,max-age=31536000,immutable  (uploaded so, below)
        //   index.html     no-cache (revalidated on every load)
        //   the function   no-store on /api/*, private otherwise (src/http/security.py,
        //                  src/http/lambda_handler.py): never kept by CloudFront.
        // `Authorization` must be part of the cache key to reach the origin at all.
        cachePolicy: (args) => {
          args.defaultTtl = 0;
          args.minTtl = 0;
          args.maxTtl = 31536000;
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
        cdn: (args) => {
          args.defaultCacheBehavior = $resolve([args.defaultCacheBehavior]).apply(
            ([behaviour]) => ({ ...behaviour, responseHeadersPolicyId: headersPolicy.id }),
          );
          args.transform = {
            distribution: (d) => {
              d.isIpv6Enabled = true;
              d.httpVersion = "http2and3";
            },
          };
        },
      },
    });
    const publicHost = router.url.apply((u) => new URL(u).host);

    // ---- the functions ---------------------------------------------------------------
    // No `link`: linking would grant the Data API and the master secret, which the app never
    // uses. Each function may read its own secret, nothing else (plus SST's logging and VPC
    // network-interface permissions).
    const common = {
      runtime: "python3.12" as const,
      architecture: "x86_64" as const,
      bundle: bundleDir,
      vpc,
    };
    const environment = {
      APP_ENV: "production",
      ALLOWED_HOSTS: domain ?? publicHost,
      // RDS Proxy pins connections with prepared statements; without the proxy keep them.
      DB_STATEMENT_CACHE_SIZE: cfg.proxy ? "0" : "100",
    };

    const api = new sst.aws.Function("Api", {
      ...common,
      handler: "src/http/lambda_handler.handler",
      memory: cfg.memory,
      timeout: "30 seconds",
      concurrency: { reserved: cfg.reserved },
      versioning: true,
      logging: { retention: cfg.logRetention, format: "text" },
      environment: {
        ...environment,
        APP_SECRETS_ARN: apiSecrets.arn,
        // A SHA-256 of SecretKey that CloudFront's viewer-request function also carries (so
        // it is readable in the distribution's config anyway); it reveals nothing of the key.
        ORIGIN_VERIFY_SECRET: originVerify,
        UPLOAD_BUCKET: uploads.name,
      },
      permissions: [
        { actions: ["secretsmanager:GetSecretValue"], resources: [apiSecrets.arn] },
        {
          actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          resources: [$interpolate`${uploads.arn}/*`],
        },
      ],
    });

    // Migrations on every deploy, as the owner; it also (re)creates the API's role.
    // 15 minutes (Lambda's limit) for long migrations, e.g. CREATE INDEX CONCURRENTLY.
    const migrator = new sst.aws.Function("Migrator", {
      ...common,
      handler: "src/ops/lambda_migrator.handler",
      memory: "512 MB",
      timeout: "15 minutes",
      concurrency: { reserved: 1 },
      logging: { retention: cfg.logRetention, format: "text" },
      environment: {
        ...environment,
        APP_SECRETS_ARN: migratorSecrets.arn,
        DB_APP_ROLE: APP_ROLE,
        DB_COMMAND_TIMEOUT: "840",
      },
      permissions: [
        { actions: ["secretsmanager:GetSecretValue"], resources: [migratorSecrets.arn] },
      ],
    });

    // Optional snapshot before the migrations (PRE_MIGRATION_SNAPSHOT=1 on the deploy; the
    // production pipeline sets it). Kept when the next deploy takes another one.
    const deployedAt = new Date().toISOString();
    const snapshot = process.env.PRE_MIGRATION_SNAPSHOT
      ? new aws.rds.ClusterSnapshot(
          "PreMigrationSnapshot",
          {
            dbClusterIdentifier: database.id,
            dbClusterSnapshotIdentifier: `${prefix}-pre-${deployedAt.replace(/[^0-9]/g, "").slice(0, 14)}`,
          },
          { retainOnDelete: true },
        )
      : undefined;

    // The input changes on every deploy, so Pulumi invokes the migrator every time.
    // A failed migration fails the deploy before the `live` alias moves (below).
    const migration = new aws.lambda.Invocation(
      "MigrateOnDeploy",
      {
        functionName: migrator.name,
        input: JSON.stringify({ command: "migrate", deployedAt }),
      },
      { dependsOn: snapshot ? [database, snapshot] : [database] },
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

    // Router does not strip prefixes: the app serves these paths itself. /health must
    // reach the function: through S3 it would answer 200 with index.html while the API is down.
    for (const route of FUNCTION_ROUTES) {
      router.route(route, apiUrl.functionUrl, { readTimeout: "30 seconds" });
    }

    // ---- static frontend -------------------------------------------------------------
    // A tab opened before a deploy keeps loading its lazy chunks: old hashed assets are never
    // purged, and the bucket is versioned (rollback restores the previous index.html).
    // The new frontend is built and uploaded only after the migrations succeeded and the
    // alias moved: its build command is an output of both.
    const web = new sst.aws.StaticSite(
      "Web",
      {
        path: "../../frontend",
        build: {
          command: $resolve([migration.result, live.functionVersion]).apply(
            () => "npm ci && npm run build",
          ),
          output: "dist",
        },
        router: { instance: router },
        assets: {
          purge: false,
          // Later entries win.
          fileOptions: [
            { files: "**", cacheControl: "public,max-age=3600" },
            { files: "assets/**", cacheControl: "public,max-age=31536000,immutable" },
            { files: "**/*.html", cacheControl: "no-cache" },
          ],
        },
        transform: {
          assets: (args) => {
            args.versioning = true;
          },
        },
      },
      { dependsOn: [migration, live] },
    );
    const webBucket = web.nodes.assets!.name;
    new aws.s3.BucketLifecycleConfiguration("WebAssetsLifecycle", {
      bucket: webBucket,
      rules: [
        {
          id: "old-versions-90-days",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: 90 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });

    // ---- alarms -> SNS -------------------------------------------------------------
    const alerts = new sst.aws.SnsTopic("Alerts");
    // ALERT_EMAIL comes from the deploy's configuration (a GitHub environment variable);
    // a deploy without it removes the subscription again.
    if (alertEmail) {
      new aws.sns.TopicSubscription("AlertsEmail", {
        topic: alerts.arn,
        protocol: "email",
        endpoint: alertEmail,
      });
    }
    const alarmActions = [alerts.arn];
    const fn = { FunctionName: api.name };
    const app = { Service: "acme-api" }; // src/observability.py: namespace Acme
    const alarmNames = {
      errorRate: `${prefix}-api-error-rate`,
      p95: `${prefix}-api-p95-duration`,
      http5xx: `${prefix}-api-5xx`,
      throttles: `${prefix}-api-throttles`,
      migrator: `${prefix}-migrator-errors`,
      connections: `${prefix}-db-connections`,
    };

    // The app's own answers (API.Requests / API.5xx from src/http/lambda_handler.py) plus the
    // function's crashes (Lambda Errors: no answer written at all) over the requests.
    new aws.cloudwatch.MetricAlarm("ApiErrorRate", {
      name: alarmNames.errorRate,
      alarmDescription: "HTTP 5xx answers + function errors above 5 % of requests over 5 minutes",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      alarmActions,
      okActions: alarmActions,
      metricQueries: [
        {
          id: "answers5xx",
          metric: { namespace: "Acme", metricName: "API.5xx", dimensions: app, period: 300, stat: "Sum" },
        },
        {
          id: "crashes",
          metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: fn, period: 300, stat: "Sum" },
        },
        {
          id: "invocations",
          metric: { namespace: "AWS/Lambda", metricName: "Invocations", dimensions: fn, period: 300, stat: "Sum" },
        },
        {
          id: "rate",
          expression: "IF(invocations > 0, 100 * (FILL(answers5xx, 0) + FILL(crashes, 0)) / invocations, 0)",
          label: "Error rate (%)",
          returnData: true,
        },
      ],
    });

    new aws.cloudwatch.MetricAlarm("ApiP95Duration", {
      name: alarmNames.p95,
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
      name: alarmNames.http5xx,
      alarmDescription: "More than 10 HTTP 5xx answers from the API in a minute",
      namespace: "Acme",
      metricName: "API.5xx",
      dimensions: app,
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 10,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions,
      okActions: alarmActions,
    });

    new aws.cloudwatch.MetricAlarm("ApiThrottles", {
      name: alarmNames.throttles,
      alarmDescription: "API invocations throttled (reserved concurrency reached) in 2 of 5 minutes",
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      dimensions: fn,
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions,
      okActions: alarmActions,
    });

    new aws.cloudwatch.MetricAlarm("MigratorErrors", {
      name: alarmNames.migrator,
      alarmDescription: "The migrator failed (a deploy's migrations or a staff/seed command)",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: migrator.name },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions,
    });

    new aws.cloudwatch.MetricAlarm("DatabaseConnections", {
      name: alarmNames.connections,
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

    // ---- dashboards -----------------------------------------------------------------
    const cluster = database.id;
    const distribution = router.distributionID;
    const operations = $resolve([
      api.name,
      migrator.name,
      cluster,
      distribution,
      region,
    ]).apply(
      ([apiName, migratorName, clusterId, distributionId, regionName]) => {
        const widget = (
          title: string,
          metrics: unknown[],
          x: number,
          y: number,
          extra: Record<string, unknown> = {},
        ) => ({
          type: "metric",
          x,
          y,
          width: 12,
          height: 6,
          properties: { title, metrics, region: regionName, period: 60, view: "timeSeries", ...extra },
        });
        const f = ["FunctionName", apiName];
        const widgets = [
          widget("Requests per minute", [
            ["Acme", "API.Requests", "Service", "acme-api", { stat: "Sum", label: "answers" }],
            ["AWS/Lambda", "Invocations", ...f, { stat: "Sum", label: "invocations" }],
          ], 0, 0),
          widget("4xx / 5xx rate (%)", [
            [{ expression: "100 * FILL(m4, 0) / req", label: "4xx %", id: "r4" }],
            [{ expression: "100 * (FILL(m5, 0) + FILL(err, 0)) / req", label: "5xx + crashes %", id: "r5" }],
            ["Acme", "API.Requests", "Service", "acme-api", { stat: "Sum", id: "req", visible: false }],
            ["Acme", "API.4xx", "Service", "acme-api", { stat: "Sum", id: "m4", visible: false }],
            ["Acme", "API.5xx", "Service", "acme-api", { stat: "Sum", id: "m5", visible: false }],
            ["AWS/Lambda", "Errors", ...f, { stat: "Sum", id: "err", visible: false }],
          ], 12, 0),
          widget("Duration p50 / p95 / p99 (ms)", [
            ["AWS/Lambda", "Duration", ...f, { stat: "p50" }],
            ["...", { stat: "p95" }],
            ["...", { stat: "p99" }],
          ], 0, 6, { annotations: { horizontal: [{ label: "alarm (p95)", value: 1000 }] } }),
          widget("Throttles, concurrency, cold starts", [
            ["AWS/Lambda", "Throttles", ...f, { stat: "Sum" }],
            ["AWS/Lambda", "ConcurrentExecutions", ...f, { stat: "Maximum" }],
            ["Acme", "API.ColdStart", "Service", "acme-api", { stat: "Sum", label: "cold starts" }],
            ["AWS/Lambda", "Errors", "FunctionName", migratorName, { stat: "Sum", label: "migrator errors" }],
          ], 12, 6),
          widget("Database connections and capacity", [
            ["AWS/RDS", "DatabaseConnections", "DBClusterIdentifier", clusterId, "Role", "WRITER", { stat: "Maximum" }],
            ["AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier", clusterId, { stat: "Average", yAxis: "right", label: "ACU" }],
            ["AWS/RDS", "ACUUtilization", "DBClusterIdentifier", clusterId, { stat: "Average", yAxis: "right", label: "ACU %" }],
          ], 0, 12, { annotations: { horizontal: [{ label: "alarm", value: Math.floor(cfg.maxConnections * 0.8) }] } }),
          widget("Proxy pinning (production) and query time", [
            ["AWS/RDS", "DatabaseConnectionsCurrentlySessionPinned", "ProxyName", proxyName, { stat: "Maximum", label: "pinned sessions" }],
            ["Acme", "Database.QueryDuration", "Service", "acme-api", { stat: "p95", yAxis: "right", label: "query p95 (ms)" }],
          ], 12, 12),
          widget("WAF: blocked vs allowed (us-east-1)", [
            ["AWS/WAFV2", "BlockedRequests", "WebACL", wafName, "Rule", "ALL", { stat: "Sum" }],
            ["AWS/WAFV2", "AllowedRequests", "WebACL", wafName, "Rule", "ALL", { stat: "Sum" }],
          ], 0, 18, { region: "us-east-1" }),
          widget("CloudFront requests and 5xx rate (us-east-1)", [
            ["AWS/CloudFront", "Requests", "DistributionId", distributionId, "Region", "Global", { stat: "Sum" }],
            ["AWS/CloudFront", "5xxErrorRate", "DistributionId", distributionId, "Region", "Global", { stat: "Average", yAxis: "right" }],
          ], 12, 18, { region: "us-east-1" }),
        ];
        return JSON.stringify({ start: "-PT3H", periodOverride: "inherit", widgets });
      },
    );
    new aws.cloudwatch.Dashboard("OperationsDashboard", {
      dashboardName: `${prefix}-operations`,
      dashboardBody: operations,
    });

    const business = region.apply((regionName) =>
      JSON.stringify({
        start: "-P7D",
        widgets: [
          {
            type: "metric", x: 0, y: 0, width: 12, height: 6,
            properties: {
              title: "Logins by outcome (per hour)", region: regionName, period: 3600, stat: "Sum",
              metrics: [
                ["Acme", "User.Login", "Service", "acme-api", "outcome", "success"],
                ["Acme", "User.Login", "Service", "acme-api", "outcome", "failure"],
              ],
            },
          },
          {
            type: "metric", x: 12, y: 0, width: 12, height: 6,
            properties: {
              title: "Invoices created (per hour)", region: regionName, period: 3600, stat: "Sum",
              metrics: [["Acme", "Invoice.Created", "Service", "acme-api"]],
            },
          },
          {
            type: "metric", x: 0, y: 6, width: 12, height: 6,
            properties: {
              title: "Amount invoiced ($ per day)", region: regionName, period: 86400,
              metrics: [
                [{ expression: "cents / 100", label: "invoiced ($)", id: "dollars" }],
                ["Acme", "Invoice.AmountCents", "Service", "acme-api", { stat: "Sum", id: "cents", visible: false }],
              ],
            },
          },
          {
            type: "metric", x: 12, y: 6, width: 12, height: 6,
            properties: {
              title: "API usage (answers per hour)", region: regionName, period: 3600, stat: "Sum",
              metrics: [["Acme", "API.Requests", "Service", "acme-api"]],
            },
          },
        ],
      }),
    );
    new aws.cloudwatch.Dashboard("BusinessDashboard", {
      dashboardName: `${prefix}-business`,
      dashboardBody: business,
    });

    // ---- cost ---------------------------------------------------------------------
    // A monthly budget per stage, on the Stage cost allocation tag (activate the tag once:
    // ACTIVATE_COST_TAGS=1 on a deploy from the paying account, or in the Billing console).
    if (process.env.ACTIVATE_COST_TAGS) {
      for (const key of ["Project", "Stage"]) {
        new aws.costexplorer.CostAllocationTag(`CostTag${key}`, { tagKey: key, status: "Active" });
      }
    }
    if (alertEmail) {
      new aws.budgets.Budget("MonthlyBudget", {
        name: `${prefix}-monthly`,
        budgetType: "COST",
        limitAmount: String(cfg.budgetUsd),
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        costFilters: [{ name: "TagKeyValue", values: [`user:Stage$${$app.stage}`] }],
        notifications: [
          {
            comparisonOperator: "GREATER_THAN",
            threshold: 80,
            thresholdType: "PERCENTAGE",
            notificationType: "ACTUAL",
            subscriberEmailAddresses: [alertEmail],
          },
          {
            comparisonOperator: "GREATER_THAN",
            threshold: 100,
            thresholdType: "PERCENTAGE",
            notificationType: "FORECASTED",
            subscriberEmailAddresses: [alertEmail],
          },
        ],
      });
    }

    return {
      url: router.url,
      functionUrl: apiUrl.functionUrl,
      api: api.name,
      migrator: migrator.name,
      alerts: alerts.arn,
      alarms: Object.values(alarmNames).join(","),
      webBucket,
      distribution,
      databaseCluster: cluster,
      databaseHost: database.host,
      apiSecrets: apiSecrets.arn,
    };
  },
});
