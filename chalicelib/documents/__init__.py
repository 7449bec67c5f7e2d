"""Supporting documents: S3 presigned uploads, completion checks and downloads."""
