/** An error shaped as the AWS SDK raises a service's: its name and HTTP status in `$metadata`. */
export function serviceError(name: string): Error {
  const status =
    name === 'ThrottledException'
      ? 429
      : name === 'AccessDeniedException'
        ? 403
        : name === 'ResourceNotFoundException'
          ? 404
          : name === 'ValidationException'
            ? 400
            : 500;
  return Object.assign(new Error(`${name} from the stand-in`), { name, $metadata: { httpStatusCode: status } });
}
