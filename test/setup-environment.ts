// Runs before every test file: tests are offline, whatever the shell says, and quiet about the Node.js version.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
